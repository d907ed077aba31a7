namespace Hagenow.CdoForum.Web.Staff;

/// <summary>The staff area's log lines: ids and counts only, never a name, an address or a token.</summary>
internal static partial class StaffLog
{
    [LoggerMessage(1, LogLevel.Warning, "Staff login failed: no such account")]
    public static partial void LoginFailedUnknown(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Staff login failed for account {UserId} (locked out by wrong codes: {LockedOut}; waiting after wrong passwords: {Waiting})")]
    public static partial void LoginFailed(ILogger logger, string userId, bool lockedOut, bool waiting);
}
