using Microsoft.AspNetCore.Mvc;

namespace Hagenow.CdoForum.Web.Site;

public static class PageUrls
{
    /// <summary>
    /// <c>Url.Page</c> that throws instead of returning null when the page or one of its route values is missing, so a
    /// link or redirect never silently points nowhere. Values that are not route parameters become the query string.
    /// </summary>
    public static string PagePath(this IUrlHelper url, string pageName, object? values = null) =>
        url.Page(pageName, values) ?? throw new InvalidOperationException($"No route to the page {pageName} with these values.");
}
