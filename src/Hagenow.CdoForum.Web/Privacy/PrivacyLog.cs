namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>Log lines of erasure and retention: ids and counts only, never a name, an address or a token.</summary>
internal static partial class PrivacyLog
{
    [LoggerMessage(1, LogLevel.Information, "Registration {RegistrationId} erased by staff")]
    public static partial void RegistrationErased(ILogger logger, int registrationId);

    [LoggerMessage(2, LogLevel.Information, "Retention: erased {Count} registrations of event {EventId}")]
    public static partial void RetentionErased(ILogger logger, int count, int eventId);

    [LoggerMessage(3, LogLevel.Error, "Retention run failed; the next run retries")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
