namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// The site answers GET, HEAD and POST only. Anything else (TRACE, PUT, PROPFIND …) gets a plain 405 before routing,
/// instead of reaching a page handler that does not expect it.
/// </summary>
internal static class AllowedMethods
{
    public const string Allow = "GET, HEAD, POST";

    public static Task RefuseOthersAsync(HttpContext context, Func<Task> next)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsPost(method))
        {
            return next();
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = Allow;
        return Task.CompletedTask;
    }
}
