namespace Hagenow.CdoForum.Web.Staff;

/// <summary>The staff area's log lines: ids and counts only, never a name, an address or a token.</summary>
internal static partial class StaffLog
{
    [LoggerMessage(1, LogLevel.Warning, "Staff login failed: no such account")]
    public static partial void LoginFailedUnknown(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Staff login failed for account {UserId} (locked out: {LockedOut})")]
    public static partial void LoginFailed(ILogger logger, string userId, bool lockedOut);

    [LoggerMessage(3, LogLevel.Information, "Registration {RegistrationId} erased by staff")]
    public static partial void RegistrationErased(ILogger logger, int registrationId);

    [LoggerMessage(4, LogLevel.Information, "Retention: erased {Count} registrations of event {EventId}")]
    public static partial void RetentionErased(ILogger logger, int count, int eventId);

    [LoggerMessage(5, LogLevel.Error, "Retention run failed; the next run retries")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
