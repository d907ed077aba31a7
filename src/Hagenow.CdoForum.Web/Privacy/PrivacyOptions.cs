namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    /// <summary>
    /// Days after an event at which its participants' personal data is erased. 90 days leaves time for the
    /// documentation and reporting that funded events need, and follow-up questions, without keeping lists for years.
    /// </summary>
    public int RetentionDays { get; set; } = 90;
}
