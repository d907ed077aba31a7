using Microsoft.AspNetCore.Mvc;

namespace Hagenow.CdoForum.Web.Site;

/// <summary>303 after a POST: the browser follows with a GET, so reloading never repeats the action.</summary>
public sealed class SeeOtherResult(string url) : IActionResult
{
    public string Url { get; } = url;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = Url;
        return Task.CompletedTask;
    }
}
