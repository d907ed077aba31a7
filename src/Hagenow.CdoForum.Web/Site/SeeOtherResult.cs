using Microsoft.AspNetCore.Mvc;

namespace Hagenow.CdoForum.Web.Site;

/// <summary>303 after a POST: the browser follows with a GET, so reloading never repeats the action.</summary>
public sealed class SeeOtherResult(string url) : IActionResult
{
    public string Url { get; } = url;

    /// <summary>303 to a Razor page by its name (e.g. "/Anmeldung/Teilnahme"); see <see cref="PageUrls.PagePath"/>.</summary>
    public static SeeOtherResult ToPage(IUrlHelper url, string pageName, object? values = null) => new(url.PagePath(pageName, values));

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = Url;
        return Task.CompletedTask;
    }
}
