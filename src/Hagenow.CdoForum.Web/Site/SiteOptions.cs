namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// What the operator must state on the legal pages and cannot be derived from the event data (section <c>Legal</c>).
/// A missing value is shown as missing on the page, never invented.
/// </summary>
public sealed class LegalOptions
{
    public string? Operator { get; set; }
    public string? PostalAddress { get; set; }
    public string? Representatives { get; set; }
    public string? Register { get; set; }
    public string? VatId { get; set; }
    public string? ResponsibleForContent { get; set; }
    public string? DataProtectionOfficer { get; set; }
    public string? SupervisoryAuthority { get; set; }
}

/// <summary>Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    /// <summary>
    /// Days after an event at which its participants' personal data is erased. 90 days leaves time for the
    /// documentation and reporting that funded events need, and follow-up questions, without keeping lists for years.
    /// </summary>
    public int RetentionDays { get; set; } = 90;
}
