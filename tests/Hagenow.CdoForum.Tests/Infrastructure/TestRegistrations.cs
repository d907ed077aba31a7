using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Registrations written straight into the database, for staff tests that need people on a list.</summary>
public static class TestRegistrations
{
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
