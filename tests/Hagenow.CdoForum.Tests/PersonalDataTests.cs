using Microsoft.Extensions.DependencyInjection;
using Hagenow.CdoForum.Web.Data;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>A person's data on request (DSGVO Art. 15): staff look-up across events, and the participant's own download.</summary>
public sealed class PersonalDataTests(PersonalDataTests.Site site) : IClassFixture<PersonalDataTests.Site>
{
    public sealed class Site : SiteFactory
    {
        public Site() => With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every column of a registration, as the database model maps it (computed rules such as IsCancelled are not stored).</summary>
    private List<PropertyInfo> StoredProperties
    {
        get
        {
            using var scope = site.Services.CreateScope();
            return [.. scope.ServiceProvider.GetRequiredService<CdoForumDbContext>().Model.FindEntityType(typeof(Registration))!
                .GetProperties().Select(p => p.PropertyInfo).OfType<PropertyInfo>()];
        }
    }

    /// <summary>Stored, but credentials or structure rather than facts about the person.</summary>
    private static readonly string[] NotExported =
        [nameof(Registration.AccessKey), nameof(Registration.TokenHash), nameof(Registration.Event), nameof(Registration.Mails),
         nameof(Registration.FullName), nameof(Registration.EventId)];

    private sealed record People(Registration First, Registration Second, Registration Other, string Slug1, string Slug2);

    private async Task<People> ArrangeAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var ev1 = await site.ImportAsync(TestEvents.Future($"auskunft-a-{unique}"));
        var ev2 = await site.ImportAsync(TestEvents.Future($"auskunft-b-{unique}", date: "2027-06-16"));
        var email = $"petra.person-{unique}@kommune.example";
        var first = await site.AddRegistrationAsync(ev1, email: email.Replace("petra", "Petra", StringComparison.Ordinal), firstName: "Petra",
            lastName: "Person");
        var second = await site.AddRegistrationAsync(ev2, email: email, firstName: "Petra", lastName: "Person", status: RegistrationStatus.Waiting);
        var other = await site.AddRegistrationAsync(ev1, email: $"otto.anders-{unique}@kommune.example", firstName: "Otto", lastName: "Anders");
        await site.QueueMailAsync(first.Id, MailKind.Confirmation);
        await site.QueueMailAsync(second.Id, MailKind.WaitingList);
        await site.QueueMailAsync(other.Id, MailKind.Confirmation);
        await site.WithDbAsync(async db =>
        {
            await using var write = await db.BeginWriteAsync(Ct);
            var stored = await db.Registrations.SingleAsync(r => r.Id == first.Id, Ct);
            (stored.JobTitle, stored.Question, stored.AccessibilityNeeds) = ("Digitallotsin", "Wie teilen Kommunen Daten?", "Rollstuhlplatz, Induktionsschleife");
            stored.AttendedAtUtc = site.Clock.GetUtcNow().UtcDateTime;
            AuditLog.Record(db, site.Clock, "team@kts.example.de", AuditAction.AttendanceMarked, ev1.Id, first.Id);
            AuditLog.Record(db, site.Clock, "team@kts.example.de", AuditAction.AttendanceMarked, ev1.Id, other.Id);
            var otherStored = await db.Registrations.SingleAsync(r => r.Id == other.Id, Ct);
            (otherStored.Question, otherStored.AccessibilityNeeds) = ("Ottos geheime Frage", "Ottos Hinweis");
            await db.SaveChangesAsync(Ct);
            await write.CommitAsync(Ct);
            return 0;
        });
        return new People(first, second, other, ev1.Slug, ev2.Slug);
    }

    [Fact]
    public async Task Staff_download_holds_every_stored_field_of_the_person_across_events_and_nothing_of_anybody_else()
    {
        var people = await ArrangeAsync();
        var staff = await site.CreateStaffClientAsync($"staff-{Guid.NewGuid():N}@kts.example.de");

        using var response = await staff.SubmitFormAsync("/intern/auskunft?handler=Json",
            new Dictionary<string, string> { ["Email"] = $"  {people.Second.Email.ToUpperInvariant()} " }, tokenFrom: "/intern/auskunft");
        var json = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var registrations = document.RootElement.GetProperty("registrations").EnumerateArray().ToList();
        Assert.Equal(2, registrations.Count);
        var stored = await site.WithDbAsync(db => db.Registrations.AsNoTracking()
            .Where(r => r.Id == people.First.Id || r.Id == people.Second.Id).OrderBy(r => r.Id).ToListAsync(Ct));
        foreach (var (entity, exported) in stored.Zip(registrations.OrderBy(r => r.GetProperty("id").GetInt32())))
        {
            foreach (var property in StoredProperties.Where(p => !NotExported.Contains(p.Name)))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name.EndsWith("AtUtc", StringComparison.Ordinal) ? property.Name[..^3] : property.Name);
                Assert.True(exported.TryGetProperty(name, out var value), $"The export lacks {property.Name}.");
                Assert.Equal(Expected(property.GetValue(entity)), Actual(value));
            }
        }

        Assert.Equal(people.Slug1, registrations[0].GetProperty("eventSlug").GetString());
        var mails = document.RootElement.GetProperty("mails").EnumerateArray().ToList();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.True(m.TryGetProperty("subject", out _) && m.TryGetProperty("createdAt", out _) && m.TryGetProperty("kind", out _)));
        Assert.Contains(document.RootElement.GetProperty("staffActivities").EnumerateArray(), _ => true);
        Assert.DoesNotContain("Otto", json, StringComparison.Ordinal);
        Assert.DoesNotContain("otto.anders", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Ottos", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"accessKey\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(stored[0].TokenHash, json, StringComparison.Ordinal);
        var audit = await site.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditAction.PersonalDataAccess.Code).OrderBy(a => a.Id).LastAsync(Ct));
        Assert.Equal("2 Anmeldungen, 2 E-Mails, als JSON heruntergeladen", audit.Details);
        Assert.DoesNotContain("petra", audit.Details!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_staff_page_shows_the_same_data_readably_and_only_of_that_person()
    {
        var people = await ArrangeAsync();
        var staff = await site.CreateStaffClientAsync($"staff-{Guid.NewGuid():N}@kts.example.de");

        using var response = await staff.SubmitFormAsync("/intern/auskunft", new Dictionary<string, string> { ["Email"] = people.First.Email });
        var text = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Anmeldung Nr. {people.First.Id}", text, StringComparison.Ordinal);
        Assert.Contains($"Anmeldung Nr. {people.Second.Id}", text, StringComparison.Ordinal);
        Assert.Contains("Wie teilen Kommunen Daten?", text, StringComparison.Ordinal);
        Assert.Contains("Rollstuhlplatz, Induktionsschleife", text, StringComparison.Ordinal);
        Assert.Contains("Digitallotsin", text, StringComparison.Ordinal);
        Assert.Contains("Warteliste", text, StringComparison.Ordinal);
        Assert.Contains("Teilnahme vermerkt", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Otto", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ottos geheime Frage", text, StringComparison.Ordinal);
        Assert.True(await site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditAction.PersonalDataAccess.Code
            && a.Details == "2 Anmeldungen, 2 E-Mails, angezeigt", Ct)));
    }

    [Theory]
    [InlineData("", "Bitte geben Sie die E-Mail-Adresse der Person ein.")]
    [InlineData("keine adresse", "Bitte geben Sie eine gültige E-Mail-Adresse ein")]
    [InlineData("Petra <petra@kommune.example>", "Bitte geben Sie eine gültige E-Mail-Adresse ein")]
    public async Task Bad_addresses_get_a_German_message_next_to_the_field_and_nothing_is_looked_up(string email, string message)
    {
        var staff = await site.CreateStaffClientAsync($"staff-{Guid.NewGuid():N}@kts.example.de");
        var before = await site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditAction.PersonalDataAccess.Code, Ct));

        using var response = await staff.SubmitFormAsync("/intern/auskunft?handler=Json", new Dictionary<string, string> { ["Email"] = email },
            tokenFrom: "/intern/auskunft");
        var text = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Contains("href=\"#Email\"", text, StringComparison.Ordinal);
        Assert.Contains("id=\"Email-error\"", text, StringComparison.Ordinal);
        Assert.Equal(before, await site.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditAction.PersonalDataAccess.Code, Ct)));
    }

    [Fact]
    public async Task A_participant_downloads_the_registration_behind_their_link_and_nothing_else()
    {
        var people = await ArrangeAsync();
        var token = await site.TokenForAsync(people.First);

        using var response = await site.CreatePlainClient().GetAsync($"/anmeldung/{token}/daten", Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        using var unknown = await site.CreatePlainClient().GetAsync("/anmeldung/ABCDEFGHIJKLMNOPQRSTUV/daten", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var registration = Assert.Single(document.RootElement.GetProperty("registrations").EnumerateArray());
        Assert.Equal(people.First.Id, registration.GetProperty("id").GetInt32());
        Assert.Equal("Rollstuhlplatz, Induktionsschleife", registration.GetProperty("accessibilityNeeds").GetString());
        Assert.Single(document.RootElement.GetProperty("mails").EnumerateArray());
        Assert.DoesNotContain(people.Slug2, json, StringComparison.Ordinal); // the same address's other registration stays out
        Assert.DoesNotContain("Otto", json, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var (_, page) = await site.CreatePlainClient().GetTextAsync($"/anmeldung/{token}");
        Assert.Contains($"href=\"/anmeldung/{token}/daten\"", page, StringComparison.Ordinal);
    }

    private static string? Expected(object? value) => value switch
    {
        null => null,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string? Actual(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when value.TryGetDateTimeOffset(out var at) => at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
