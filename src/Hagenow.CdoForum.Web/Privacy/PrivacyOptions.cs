namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    /// <summary>
    /// Days after an event at which its participants' personal data is erased. 90 days leaves time for the
    /// documentation and reporting that funded events need, and follow-up questions, without keeping lists for years.
    /// </summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>
    /// How long each of the checkpoint's attempts after an erasure waits for readers (a backup, a shell) to let go of
    /// the write-ahead log. 10 s × 3 attempts.
    /// </summary>
    public TimeSpan CheckpointWait { get; set; } = TimeSpan.FromSeconds(10);
}
