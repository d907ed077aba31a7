namespace Hagenow.CdoForum.Web.Audit;

/// <summary>
/// Who did what when in the staff area. Holds no personal data of participants (ids only),
/// so it survives erasure; the site offers no way to edit or delete it.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime AtUtc { get; set; }

    /// <summary>The staff account's e-mail, or "system" for automatic jobs such as retention.</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }

    public int? EventId { get; set; }

    public int? RegistrationId { get; set; }

    public string? Details { get; set; }
}
