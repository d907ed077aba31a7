using System.Buffers.Text;
using System.Security.Cryptography;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>A certificate ready to hand out.</summary>
public sealed record CertificateFile(byte[] Pdf, string FileName);

/// <summary>What the verification page may show for a valid code.</summary>
public sealed record CertificateCheck(string Name, string Series, string EventTitle, DateOnly Date);

/// <summary>
/// Certificates of attendance: who gets one (confirmed, marked as attended, the event is over), the random code that
/// makes each one checkable, the participant's download and the staff's "send them all".
/// </summary>
public sealed class Certificates(CdoForumDbContext db, CertificatePdf pdf, CertificateMail mail, SiteUrls urls, TimeProvider clock)
{
    /// <summary>16 random bytes in Base64Url: 22 characters.</summary>
    public const int CodeLength = 22;

    public static bool IsIssuable(RegistrationStatus status, DateTime? attendedAtUtc, Event ev, DateTimeOffset now) =>
        status == RegistrationStatus.Confirmed && attendedAtUtc is not null && ev.PersonalDataErasedAtUtc is null && ev.HasEnded(now);

    public static string NewCode() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static bool LooksLikeCode(string? code) =>
        code is { Length: CodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public Uri VerificationUrl(string code) => urls.CertificateCheck(code);

    /// <summary>The participant's own certificate, or null when they get none (yet).</summary>
    public async Task<CertificateFile?> ForRegistrationAsync(int registrationId, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().Include(r => r.Event).SingleOrDefaultAsync(r => r.Id == registrationId, ct);
        if (registration is null || !IsIssuable(registration.Status, registration.AttendedAtUtc, registration.Event, clock.GetUtcNow()))
        {
            return null;
        }

        var code = registration.CertificateCode ?? await IssueCodesAsync(registration.EventId, registrationId, ct);
        if (code is null)
        {
            return null;
        }

        return Render(registration, registration.Event, code);
    }

    /// <summary>Answers a verification: the holder, the event and its date, or null for any code that is not valid.</summary>
    public async Task<CertificateCheck?> CheckAsync(string? code, CancellationToken ct)
    {
        if (!LooksLikeCode(code))
        {
            return null;
        }

        var found = await db.Registrations.AsNoTracking().Include(r => r.Event).SingleOrDefaultAsync(r => r.CertificateCode == code, ct);
        return found is not null && IsIssuable(found.Status, found.AttendedAtUtc, found.Event, clock.GetUtcNow())
            ? new CertificateCheck(found.FullName, found.Event.Series, found.Event.Title, found.Event.Date)
            : null;
    }

    /// <summary>How many people of the event get a certificate now.</summary>
    public async Task<int> CountIssuableAsync(Event ev, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ev);
        if (!IsIssuable(RegistrationStatus.Confirmed, DateTime.MinValue, ev, clock.GetUtcNow()))
        {
            return 0;
        }

        return await db.Registrations.CountAsync(r => r.EventId == ev.Id && r.Status == RegistrationStatus.Confirmed && r.AttendedAtUtc != null, ct);
    }

    /// <summary>
    /// Queues one mail with the certificate attached to every person of the event who gets one; the mails and the audit
    /// entry (with the count) are one write. The PDFs are rendered before that write, so sign-ups elsewhere do not wait
    /// for them; a person whose state changed meanwhile (attendance taken back, erased) is left out. Returns the count.
    /// </summary>
    public async Task<int> SendAllAsync(int eventId, string staffActor, CancellationToken ct)
    {
        await IssueCodesAsync(eventId, registrationId: null, ct);
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct);
        if (ev is null || !IsIssuable(RegistrationStatus.Confirmed, DateTime.MinValue, ev, clock.GetUtcNow()))
        {
            return 0;
        }

        var people = await db.Registrations.AsNoTracking()
            .Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed && r.AttendedAtUtc != null && r.CertificateCode != null)
            .ToListAsync(ct);
        var letters = people.Select(r =>
        {
            var file = Render(r, ev, r.CertificateCode!);
            return (r.Id, r.CertificateCode, Mail: mail.Create(new CertificateLetter(
                r.Id, r.Email, r.FullName, ev.Series, ev.Title, GermanDates.ShortDate(ev.Date), file.Pdf, file.FileName)));
        }).ToList();

        await using var write = await db.BeginWriteAsync(ct);
        var ids = letters.Select(l => l.Id).ToList();
        var stillValid = (await db.Registrations
            .Where(r => ids.Contains(r.Id) && r.Status == RegistrationStatus.Confirmed && r.AttendedAtUtc != null)
            .Select(r => new { r.Id, r.CertificateCode })
            .ToListAsync(ct))
            .Select(r => (r.Id, r.CertificateCode))
            .ToHashSet();
        var queued = letters.Where(l => stillValid.Contains((l.Id, l.CertificateCode))).ToList();
        if (queued.Count == 0)
        {
            return 0;
        }

        db.OutboxMessages.AddRange(queued.Select(l => l.Mail));
        AuditLog.Record(db, clock, staffActor, AuditAction.CertificatesSent, eventId, registrationId: null, $"{queued.Count} Bescheinigungen");
        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
        return queued.Count;
    }

    private CertificateFile Render(Registration registration, Event ev, string code)
    {
        var holder = new CertificateHolder(registration.FullName, registration.Organisation, registration.JobTitle);
        return new CertificateFile(pdf.Render(ev, holder, VerificationUrl(code), clock.GetUtcNow()), CertificatePdf.FileName(ev));
    }

    /// <summary>
    /// Gives a code to everyone of the event (or just <paramref name="registrationId"/>) who gets a certificate and has
    /// none yet, in one write; returns the code of <paramref name="registrationId"/>.
    /// </summary>
    private async Task<string?> IssueCodesAsync(int eventId, int? registrationId, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct);
        if (ev is null || !IsIssuable(RegistrationStatus.Confirmed, DateTime.MinValue, ev, clock.GetUtcNow()))
        {
            return null;
        }

        var query = db.Registrations.Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed && r.AttendedAtUtc != null);
        if (registrationId is { } id)
        {
            query = query.Where(r => r.Id == id);
        }

        var people = await query.ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var person in people.Where(p => p.CertificateCode is null))
        {
            person.CertificateCode = NewCode();
            person.UpdatedAtUtc = now;
        }

        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
        return registrationId is null ? null : people.SingleOrDefault()?.CertificateCode;
    }
}
