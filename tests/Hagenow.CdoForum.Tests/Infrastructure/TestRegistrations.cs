using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// Puts registrations straight into the database, the way the registration service stores them: the registration
/// and, when asked, its mail in one SaveChanges. The overloads taking an event id (staff tests) build people with
/// <see cref="New"/> and let a test change any field.
/// </summary>
public static class TestRegistrations
{
    public static async Task<Registration> AddRegistrationAsync(
        this SiteFactory site,
        Event ev,
        string email = "erika.musterfrau@hagenow.de",
        string firstName = "Erika",
        string lastName = "Musterfrau",
        RegistrationStatus status = RegistrationStatus.Confirmed,
        MailKind? mail = null)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var tokens = scope.ServiceProvider.GetRequiredService<RegistrationTokens>();
        var now = site.Clock.GetUtcNow().UtcDateTime;
        var registration = new Registration
        {
            EventId = ev.Id,
            Status = status,
            FirstName = firstName,
            LastName = lastName,
            Email = email,
            EmailNormalized = email.Trim().ToLowerInvariant(),
            Organisation = "Stadt Hagenow",
            AccessKey = "",
            TokenHash = "",
            RegisteredAtUtc = now,
            UpdatedAtUtc = now,
        };
        tokens.Assign(registration);
        db.Registrations.Add(registration);
        if (mail is { } kind)
        {
            var stored = await db.Events.SingleAsync(e => e.Id == ev.Id, TestContext.Current.CancellationToken);
            registration.Mails.Add(scope.ServiceProvider.GetRequiredService<RegistrationMails>().Create(kind, registration, stored));
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return registration;
    }

    /// <summary>Writes one more mail for an existing registration (e.g. the cancellation), as the services would.</summary>
    public static async Task<OutboxMessage> QueueMailAsync(this SiteFactory site, int registrationId, MailKind kind)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var registration = await db.Registrations.Include(r => r.Event).SingleAsync(r => r.Id == registrationId, TestContext.Current.CancellationToken);
        var message = scope.ServiceProvider.GetRequiredService<RegistrationMails>().Create(kind, registration, registration.Event);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return message;
    }

    public static Task<List<OutboxMessage>> OutboxAsync(this SiteFactory site) =>
        site.WithDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync(TestContext.Current.CancellationToken));

    public static async Task<string> TokenForAsync(this SiteFactory site, Registration registration)
    {
        await Task.CompletedTask;
        return site.Services.GetRequiredService<RegistrationTokens>().TokenFor(registration);
    }

    public static Registration New(int eventId, DateTimeOffset registeredAt, string firstName = "Erika", string lastName = "Mustermann",
        string? email = null, string organisation = "Stadt Hagenow", RegistrationStatus status = RegistrationStatus.Confirmed)
    {
        email ??= $"{firstName}.{lastName}.{Guid.NewGuid():N}@example.org".ToLowerInvariant();
        return new Registration
        {
            EventId = eventId,
            Status = status,
            FirstName = firstName,
            LastName = lastName,
            Email = email,
            EmailNormalized = email.Trim().ToLowerInvariant(),
            Organisation = organisation,
            JobTitle = "Sachbearbeitung Digitalisierung",
            AccessKey = RegistrationTokens.NewAccessKey(),
            TokenHash = RegistrationTokens.Hash(Guid.NewGuid().ToString("N")),
            RegisteredAtUtc = registeredAt.UtcDateTime,
            PromotedAtUtc = status == RegistrationStatus.Waiting ? registeredAt.UtcDateTime : null,
            CancelledAtUtc = status == RegistrationStatus.Cancelled ? registeredAt.UtcDateTime : null,
            UpdatedAtUtc = registeredAt.UtcDateTime,
        };
    }

    /// <summary>Adds one registration; <paramref name="change"/> sets what the test cares about.</summary>
    public static async Task<Registration> AddRegistrationAsync(this SiteFactory site, int eventId, Action<Registration>? change = null)
    {
        var registration = New(eventId, site.Clock.GetUtcNow());
        change?.Invoke(registration);
        registration.EmailNormalized = registration.Email.Trim().ToLowerInvariant();
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        db.Registrations.Add(registration);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return registration;
    }

    /// <summary>Adds many registrations in one transaction: person i is "Vorname{i} Nachname{i:D5}", one minute apart.</summary>
    public static async Task AddManyAsync(this SiteFactory site, int eventId, int count, Func<int, RegistrationStatus>? status = null)
    {
        var start = site.Clock.GetUtcNow();
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < count; i++)
        {
            db.Registrations.Add(New(eventId, start.AddMinutes(i), $"Vorname{i}", $"Nachname{i:D5}", $"person{i:D5}@example.org",
                $"Kommune {i % 40:D2}", status?.Invoke(i) ?? RegistrationStatus.Confirmed));
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
