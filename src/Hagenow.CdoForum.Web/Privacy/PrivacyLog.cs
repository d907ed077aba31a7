namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>Log lines of erasure and retention: ids and counts only, never a name, an address or a token.</summary>
internal static partial class PrivacyLog
{
    [LoggerMessage(1, LogLevel.Information, "Registration {RegistrationId} erased by staff: {Mails} mails, {Files} mail files deleted")]
    public static partial void RegistrationErased(ILogger logger, int registrationId, int mails, int files);

    [LoggerMessage(2, LogLevel.Information, "Retention: erased {Count} registrations of event {EventId}, {Files} mail files deleted")]
    public static partial void RetentionErased(ILogger logger, int count, int eventId, int files);

    [LoggerMessage(3, LogLevel.Error, "Retention run failed; the next run retries")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Error,
        "Erasure of registration {RegistrationId}: the WAL checkpoint stayed busy (a reader holds the database); copies may remain in the write-ahead log until the next checkpoint")]
    public static partial void CheckpointBusy(ILogger logger, int registrationId);

    [LoggerMessage(5, LogLevel.Error,
        "Retention of event {EventId}: the WAL checkpoint stayed busy (a reader holds the database); copies may remain in the write-ahead log until the next run")]
    public static partial void RetentionCheckpointBusy(ILogger logger, int eventId);
}
