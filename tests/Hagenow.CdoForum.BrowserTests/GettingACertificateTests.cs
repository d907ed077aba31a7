using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// After the event: a participant whose attendance is marked downloads the certificate from their own page, and anyone
/// with the address checks it. The Leichte-Sprache page is reached from every page's footer. All accessible at 320 px.
/// </summary>
public sealed class GettingACertificateTests(Chromium chromium, GettingACertificateTests.Site site) : IClassFixture<GettingACertificateTests.Site>
{
    public sealed class Site : BrowserSite
    {
        protected override string ClockNow => "2026-11-26T10:00";
    }

    [Fact]
    public async Task Attended_participant_downloads_the_certificate_and_its_address_says_valid()
    {
        var token = await AttendedParticipantAsync();
        foreach (var view in new[] { View.Desktop, View.Narrow320 })
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            await session.GotoAsync($"/anmeldung/{token}");
            var link = session.Page.GetByRole(AriaRole.Link, new() { Name = "Teilnahmebescheinigung herunterladen (PDF)" });
            await PageChecks.AssertPageAsync(session, "teilnahme-bescheinigung");

            var download = await session.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());

            Assert.Null(await download.FailureAsync());
            Assert.Equal("CDO-Forum-2026-11-20-Teilnahmebescheinigung.pdf", download.SuggestedFilename);
            var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
            Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
            session.AssertOnlyOwnHostRequested();
        }

        var code = await WithDbAsync(db => db.Set<Registration>().Where(r => r.CertificateCode != null).Select(r => r.CertificateCode!).SingleAsync());
        foreach (var view in new[] { View.Desktop, View.Narrow320 })
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            await session.GotoAsync($"/bescheinigung/{code}");
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("ist gültig");
            await Assertions.Expect(session.Page.Locator("main")).ToContainTextAsync("Anna Zeugnis");
            await PageChecks.AssertPageAsync(session, "bescheinigung-gueltig");

            await session.GotoAsync("/bescheinigung/AAAAAAAAAAAAAAAAAAAAAA", expectedStatus: 404);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("nicht gültig oder nicht mehr gespeichert");
            await PageChecks.AssertPageAsync(session, "bescheinigung-ungueltig");
        }
    }

    [Fact]
    public async Task Leichte_Sprache_page_is_linked_in_the_footer_and_accessible_at_320_px()
    {
        foreach (var view in new[] { View.Desktop, View.Narrow320 })
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            await session.GotoAsync("/impressum");

            await session.Page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = "Leichte Sprache" }).ClickAsync();

            await Assertions.Expect(session.Page).ToHaveURLAsync(site.Url("/leichte-sprache"));
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Informationen in Leichter Sprache");
            foreach (var heading in new[] { "Wie melde ich mich an?", "Wie sage ich ab?", "Wen kann ich fragen?" })
            {
                await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 2 })).ToBeVisibleAsync();
            }

            await PageChecks.AssertPageAsync(session, "leichte-sprache");
            session.AssertOnlyOwnHostRequested();
        }
    }

    /// <summary>A copy of the seed on 20 November 2026 (over by the site's clock) with one confirmed, attended person.</summary>
    private async Task<string> AttendedParticipantAsync()
    {
        await using var scope = site.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<EventImporter>();
        var assembly = typeof(EventImporter).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"{BrowserSite.SeedSlug}.json", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        var errors = new List<string>();
        var document = EventDocument.Parse(await reader.ReadToEndAsync(TestContext.Current.CancellationToken), errors)!
            with { Slug = "cdo-forum-2026-11-20", Date = "2026-11-20" };
        var result = await importer.ImportAsync(document.ToJson());
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));

        var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
        var tokens = scope.ServiceProvider.GetRequiredService<RegistrationTokens>();
        var now = DateTime.SpecifyKind(new DateTime(2026, 11, 20, 12, 0, 0), DateTimeKind.Utc);
        var registration = new Registration
        {
            EventId = result.Event!.Id,
            Status = RegistrationStatus.Confirmed,
            FirstName = "Anna",
            LastName = "Zeugnis",
            Email = "anna.zeugnis@example.org",
            EmailNormalized = "anna.zeugnis@example.org",
            Organisation = "Stadt Hagenow",
            AccessKey = "",
            TokenHash = "",
            RegisteredAtUtc = now.AddDays(-10),
            UpdatedAtUtc = now,
            AttendedAtUtc = now,
        };
        tokens.Assign(registration);
        db.Add(registration);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return tokens.TokenFor(registration);
    }

    private async Task<T> WithDbAsync<T>(Func<CdoForumDbContext, Task<T>> query)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CdoForumDbContext>());
    }
}
