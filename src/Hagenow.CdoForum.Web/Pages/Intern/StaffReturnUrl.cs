using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Mvc;

namespace Hagenow.CdoForum.Web.Pages.Intern;

/// <summary>After the second factor: only back into the staff area, never to another site or a login step.</summary>
public static class StaffReturnUrl
{
    public static string Safe(IUrlHelper url, string? returnUrl) =>
        returnUrl is { } value && url.IsLocalUrl(value) && value.StartsWith(SitePaths.StaffArea, StringComparison.OrdinalIgnoreCase)
        && !value.StartsWith(SitePaths.StaffLogin, StringComparison.OrdinalIgnoreCase)
        && !value.StartsWith(SitePaths.StaffSetUpSecondFactor, StringComparison.OrdinalIgnoreCase)
        && !value.StartsWith(SitePaths.StaffSecondFactor, StringComparison.OrdinalIgnoreCase)
            ? value
            : SitePaths.StaffArea;
}

/// <summary>The code field of the code and enrolment pages.</summary>
public sealed record CodeField(string? Error, string Label, string? Hint);
