using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Privacy;

/// <summary>
/// Everything stored about one e-mail address (DSGVO Art. 15): its registrations with every field the person gave or the
/// site recorded, the mails sent to it (date, kind, subject, status; the body is deleted once sent) and what staff did with
/// those registrations (action and time; not which staff member). Left out on purpose: the registration's access key and
/// token hash, which are credentials, not information about the person.
/// </summary>
public sealed class PersonalData(CdoForumDbContext db, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>All registrations of the address across all events (staff, on request).</summary>
    public async Task<PersonalDataReport> ForAddressAsync(string email, CancellationToken ct)
    {
        var normalized = RegistrationFields.NormalizeEmail(email);
        var registrations = await RegistrationsAsync(db.Registrations.Where(r => r.EmailNormalized == normalized), ct);
        var ids = registrations.Select(r => r.Id).ToList();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(); mails to an address typed in other case count too
        var mails = await MailsAsync(db.OutboxMessages.Where(m =>
            m.Recipient.ToLower() == normalized || (m.RegistrationId != null && ids.Contains(m.RegistrationId.Value))), ct);
#pragma warning restore CA1304, CA1311, CA1862
        return new PersonalDataReport(normalized, clock.GetUtcNow(), registrations, mails, await HistoryAsync(ids, ct));
    }

    /// <summary>One registration only (the participant's own link): the link proves access to this one, not to the address.</summary>
    public async Task<PersonalDataReport> ForRegistrationAsync(int registrationId, CancellationToken ct)
    {
        var registrations = await RegistrationsAsync(db.Registrations.Where(r => r.Id == registrationId), ct);
        var mails = await MailsAsync(db.OutboxMessages.Where(m => m.RegistrationId == registrationId), ct);
        var email = registrations.Select(r => r.EmailNormalized).FirstOrDefault() ?? "";
        return new PersonalDataReport(email, clock.GetUtcNow(), registrations, mails, await HistoryAsync([registrationId], ct));
    }

    public static byte[] ToJson(PersonalDataReport report) => JsonSerializer.SerializeToUtf8Bytes(report, Json);

    private static async Task<List<StoredRegistration>> RegistrationsAsync(IQueryable<Registration> query, CancellationToken ct) =>
        await query.AsNoTracking()
            .OrderBy(r => r.RegisteredAtUtc).ThenBy(r => r.Id)
            .Select(r => new StoredRegistration(
                r.Id, r.Event.Slug, r.Event.Series, r.Event.Title, r.Event.Date, r.Status,
                r.FirstName, r.LastName, r.Email, r.EmailNormalized, r.Organisation, r.JobTitle, r.Question, r.AccessibilityNeeds,
                Utc(r.RegisteredAtUtc), UtcOrNull(r.PromotedAtUtc), UtcOrNull(r.CancelledAtUtc), UtcOrNull(r.AttendedAtUtc),
                UtcOrNull(r.ReminderQueuedAtUtc), Utc(r.UpdatedAtUtc), r.CertificateCode))
            .ToListAsync(ct);

    private static async Task<List<SentMail>> MailsAsync(IQueryable<OutboxMessage> query, CancellationToken ct) =>
        await query.AsNoTracking()
            .OrderBy(m => m.CreatedAtUtc).ThenBy(m => m.Id)
            .Select(m => new SentMail(m.RegistrationId, m.Kind, m.Recipient, m.Subject, m.Status, Utc(m.CreatedAtUtc), UtcOrNull(m.SentAtUtc), m.Attempts))
            .ToListAsync(ct);

    private async Task<List<StaffActivity>> HistoryAsync(List<int> registrationIds, CancellationToken ct)
    {
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.RegistrationId != null && registrationIds.Contains(a.RegistrationId.Value))
            .OrderBy(a => a.AtUtc).ThenBy(a => a.Id)
            .Select(a => new { a.RegistrationId, a.Action, a.AtUtc })
            .ToListAsync(ct);
        return [.. entries.Select(a => new StaffActivity(a.RegistrationId!.Value, AuditAction.LabelOf(a.Action), Utc(a.AtUtc)))];
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? UtcOrNull(DateTime? value) => value is { } v ? Utc(v) : null;
}

public sealed record PersonalDataReport(
    string Email,
    DateTimeOffset CreatedAt,
    IReadOnlyList<StoredRegistration> Registrations,
    IReadOnlyList<SentMail> Mails,
    IReadOnlyList<StaffActivity> StaffActivities)
{
    public int Count => Registrations.Count + Mails.Count + StaffActivities.Count;
}

public sealed record StoredRegistration(
    int Id,
    string EventSlug,
    string EventSeries,
    string EventTitle,
    DateOnly EventDate,
    RegistrationStatus Status,
    string FirstName,
    string LastName,
    string Email,
    string EmailNormalized,
    string Organisation,
    string? JobTitle,
    string? Question,
    string? AccessibilityNeeds,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? PromotedAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset? AttendedAt,
    DateTimeOffset? ReminderQueuedAt,
    DateTimeOffset UpdatedAt,
    string? CertificateCode);

public sealed record SentMail(
    int? RegistrationId,
    MailKind Kind,
    string Recipient,
    string Subject,
    OutboxStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    int Attempts);

public sealed record StaffActivity(int RegistrationId, string Action, DateTimeOffset At);
