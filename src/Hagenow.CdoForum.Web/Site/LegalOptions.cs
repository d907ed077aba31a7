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
