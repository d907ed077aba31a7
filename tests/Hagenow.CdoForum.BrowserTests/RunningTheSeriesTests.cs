using Hagenow.CdoForum.Web;
using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// KTS staff put the next forum online from the browser: copy the last event as a template, change the date and an agenda
/// item, look at the preview, publish, and find it on the start page and in the calendar feed, where people sign up.
/// Every editor page passes axe and reflows at 320 px and 200 %, with and without errors (the pages without errors in
/// <see cref="EditorPagesTests"/>, on a site of its own so that the two classes run side by side).
/// </summary>
public sealed class RunningTheSeriesTests(Chromium chromium, RunningTheSeriesTests.Site site) : IClassFixture<RunningTheSeriesTests.Site>
{
    internal const string DraftSlug = "cdo-forum-entwurf";
    internal const string PublishedSlug = "cdo-forum-2026-05-06";

    /// <summary>The site with one staff account, a draft and a published event without registrations (for the page checks).</summary>
    public sealed class Site : BrowserSite
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            await using var scope = Services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<EventImporter>();
            var seed = await ExportSeedAsync();
            foreach (var document in new[]
                     {
                         seed with { Slug = DraftSlug, Date = "2026-06-03", Published = false, Title = "Entwurf: Offene Daten in der Kommune" },
                         seed with { Slug = PublishedSlug, Date = "2026-05-06", Title = "Kommunale Datenplattformen im Vergleich" },
                     })
            {
                var result = await importer.ImportAsync(document.ToJson(), TestContext.Current.CancellationToken);
                Assert.True(result.Succeeded, string.Join(" ", result.Errors));
            }
        }

        private async Task<EventDocument> ExportSeedAsync()
        {
            using var output = new StringWriter();
            var exit = await CommandLine.RunAsync(["events", "export", SeedSlug], Services, TextReader.Null, output, TextWriter.Null);
            Assert.Equal(0, exit);
            var errors = new List<string>();
            return EventDocument.Parse(output.ToString(), errors) ?? throw new InvalidOperationException(string.Join(" ", errors));
        }
    }

    [Fact]
    public async Task Staff_put_the_next_forum_online_with_the_keyboard_only_and_people_sign_up()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var page = session.Page;
        await KeyboardLogInAsync(session);

        // "Als Vorlage verwenden" on the seed event.
        await TabUntilAsync(page, $"() => document.activeElement.getAttribute('href') === '/intern/veranstaltungen/neu?vorlage={BrowserSite.SeedSlug}'");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url($"/intern/veranstaltungen/neu?vorlage={BrowserSite.SeedSlug}"), new() { Timeout = 30_000 });
        Assert.Equal("2026-04-08", await page.Locator("#date").InputValueAsync()); // the same Wednesday four weeks on
        Assert.Equal("cdo-forum-2026-04-08", await page.Locator("#slug").InputValueAsync());

        // A week later instead, and the slug to match.
        await TabUntilAsync(page, "() => document.activeElement.id === 'date'");
        // Debian's headless Chromium lays out date fields in its own UI language (en-US: month, day, year).
        await page.Keyboard.TypeAsync("04152026");
        Assert.Equal("2026-04-15", await page.Locator("#date").InputValueAsync());
        await TabUntilAsync(page, "() => document.activeElement.id === 'slug'");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("cdo-forum-2026-04-15");
        await page.Keyboard.PressAsync("Enter");

        var editUrl = site.Url("/intern/veranstaltungen/cdo-forum-2026-04-15/bearbeiten?erledigt=angelegt");
        await page.WaitForURLAsync(editUrl);
        await Assertions.Expect(page.Locator(".notice--success")).ToContainTextAsync("Der Entwurf ist angelegt.");
        await Assertions.Expect(page.Locator(".event-state")).ToContainTextAsync("Entwurf");

        // One agenda item gets a new title, then on to "Änderungen speichern".
        await TabUntilAsync(page, "() => document.activeElement.id === 'agenda-1-title'");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Impulsvortrag „Offene Daten in Hagenow“");
        await TabUntilAsync(page, "() => document.activeElement.value === 'save'");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url("/intern/veranstaltungen/cdo-forum-2026-04-15/bearbeiten?erledigt=gespeichert"));
        await Assertions.Expect(page.Locator(".notice--success")).ToContainTextAsync("Die Änderungen sind gespeichert.");

        // The preview: the public page as it will look, marked as such.
        await TabUntilAsync(page, "() => document.activeElement.textContent.trim() === 'Vorschau der gespeicherten Fassung'");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url("/intern/veranstaltungen/cdo-forum-2026-04-15/vorschau"));
        await Assertions.Expect(page.Locator(".preview-banner")).ToContainTextAsync("Vorschau");
        await Assertions.Expect(page.Locator("table.agenda")).ToContainTextAsync("Impulsvortrag „Offene Daten in Hagenow“");
        await Assertions.Expect(page.Locator(".facts")).ToContainTextAsync("Mittwoch, 15. April 2026");
        Assert.Equal("noindex, nofollow", await page.Locator("meta[name=robots]").GetAttributeAsync("content"));

        // Publish, with the confirmation step.
        await TabUntilAsync(page, "() => document.activeElement.textContent.trim() === 'Veröffentlichen'");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url("/intern/veranstaltungen/cdo-forum-2026-04-15/veroeffentlichen"));
        await TabUntilAsync(page, "() => document.activeElement.textContent.trim() === 'Jetzt veröffentlichen'");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url("/intern/veranstaltungen/cdo-forum-2026-04-15/bearbeiten?erledigt=veroeffentlicht"));
        await Assertions.Expect(page.Locator(".event-state")).ToContainTextAsync("Veröffentlicht");

        // The public finds it on the start page and in the feed, and signs up.
        await using var visitor = await BrowserSession.OpenAsync(chromium, site);
        var home = visitor.Page;
        await visitor.GotoAsync("/");
        var feed = await home.APIRequest.GetAsync(site.Url("/kalender.ics"));
        Assert.Equal(200, feed.Status);
        var feedText = await feed.TextAsync();
        Assert.Contains($"UID:cdo-forum-2026-04-15@localhost", feedText, StringComparison.Ordinal);
        Assert.DoesNotContain(DraftSlug, feedText, StringComparison.Ordinal);
        await Assertions.Expect(home.Locator("a[href='/veranstaltungen/cdo-forum-2026-04-15']")).ToHaveCountAsync(1);
        await Assertions.Expect(home.Locator($"a[href='/veranstaltungen/{DraftSlug}']")).ToHaveCountAsync(0);

        await TabUntilAsync(home, "() => document.activeElement.getAttribute('href') === '/veranstaltungen/cdo-forum-2026-04-15'");
        await home.Keyboard.PressAsync("Enter");
        await home.WaitForURLAsync(site.Url("/veranstaltungen/cdo-forum-2026-04-15"));
        await Assertions.Expect(home.Locator("table.agenda")).ToContainTextAsync("Impulsvortrag „Offene Daten in Hagenow“");
        await TabUntilAsync(home, "() => document.activeElement.textContent.trim() === 'Jetzt anmelden'");
        await home.Keyboard.PressAsync("Enter");
        await home.WaitForURLAsync(site.Url("/veranstaltungen/cdo-forum-2026-04-15/anmeldung"));
        await TabUntilAsync(home, "() => document.activeElement.id === 'FirstName'");
        foreach (var text in new[] { "Erika", "Mustermann", "erika.serie@example.org", "Stadt Hagenow" })
        {
            await home.Keyboard.TypeAsync(text);
            await home.Keyboard.PressAsync("Tab");
        }

        await TabUntilAsync(home, "() => document.activeElement.id === 'Consent'");
        await home.Keyboard.PressAsync("Space");
        await TabUntilAsync(home, "() => document.activeElement.textContent.trim() === 'Verbindlich anmelden'");
        await home.Keyboard.PressAsync("Enter");
        await home.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/anmeldung/[A-Za-z0-9_-]+$"));
        await Assertions.Expect(home.Locator(".registration-status")).ToContainTextAsync("Ihre Anmeldung ist bestätigt.");
        session.AssertOnlyOwnHostRequested();
        visitor.AssertOnlyOwnHostRequested();
    }

    [Fact]
    public async Task Editor_with_errors_shows_them_at_the_fields_and_in_the_focused_summary_in_every_view()
    {
        foreach (var view in Enum.GetValues<View>())
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view, await site.StaffStateAsync(chromium, login => StaffAccounts.LogInAsync(site, login)));
            var page = session.Page;
            await session.GotoAsync($"/intern/veranstaltungen/{DraftSlug}/bearbeiten");
            await page.Locator("#title").FillAsync("");
            await page.Locator("#end").FillAsync("12:00");
            await page.Locator("#moreInformationUrl").FillAsync("www.ohne-schema.de");
            await page.Locator("#capacity").FillAsync("viele");
            await page.GetByRole(AriaRole.Button, new() { Name = "Änderungen speichern" }).First.ClickAsync();

            await Assertions.Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
            await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Bitte füllen Sie „Titel“ aus.");
            await Assertions.Expect(page.Locator("#end-error")).ToContainTextAsync("Das Ende (12:00) liegt nicht nach dem Beginn (13:00).");
            await Assertions.Expect(page.Locator("#capacity-error")).ToContainTextAsync("„viele“ ist keine Platzzahl");
            await Assertions.Expect(page.Locator("#moreInformationUrl-error")).ToContainTextAsync("http:// oder https://");
            Assert.StartsWith("Fehler:", await page.TitleAsync(), StringComparison.Ordinal);
            await PageChecks.AssertPageAsync(session, "editor-bearbeiten-fehler");

            // The summary's links lead to the fields.
            await page.Locator(".error-summary a[href='#capacity']").ClickAsync();
            await Assertions.Expect(page.Locator("#capacity")).ToBeFocusedAsync();
        }

        await using var scope = site.Services.CreateAsyncScope();
        var stored = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            scope.ServiceProvider.GetRequiredService<Web.Data.CdoForumDbContext>().Events, e => e.Slug == DraftSlug, TestContext.Current.CancellationToken);
        Assert.Equal("Entwurf: Offene Daten in der Kommune", stored.Title);
    }

    [Fact]
    public async Task Adding_and_moving_agenda_items_works_without_script()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site, storageState: await site.StaffStateAsync(chromium, login => StaffAccounts.LogInAsync(site, login)));
        var page = session.Page;
        await page.Context.RouteAsync("**/*.js", route => route.AbortAsync());
        await session.GotoAsync($"/intern/veranstaltungen/{DraftSlug}/bearbeiten");
        var firstTitle = await page.Locator("#agenda-0-title").InputValueAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Nach unten (Programmpunkt 1)" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToContainTextAsync("Programmpunkt 1 ist jetzt Punkt 2. Noch nicht gespeichert.");
        Assert.Equal(firstTitle, await page.Locator("#agenda-1-title").InputValueAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Programmpunkt hinzufügen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToContainTextAsync("Programmpunkt 6 hinzugefügt");
        await Assertions.Expect(page.Locator("#agenda-5-title")).ToBeVisibleAsync();
        await PageChecks.AssertPageAsync(session, "editor-bearbeiten-ohne-script");
    }

    private async Task KeyboardLogInAsync(BrowserSession session)
    {
        var page = session.Page;
        var (email, key) = await StaffAccounts.CreateAsync(site);
        await session.GotoAsync("/intern/anmelden");
        await TabUntilAsync(page, "() => document.activeElement.id === 'Input_Email'");
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(StaffAccounts.Password);
        await page.Keyboard.PressAsync("Enter");
        // The committed URL and then the field, not the load event (see StaffAccounts.LogInAsync).
        await page.WaitForURLAsync(site.Url("/intern/zweiter-faktor"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByLabel("Sechsstelliger Code", new() { Exact = true })).ToBeVisibleAsync();
        await TabUntilAsync(page, "() => document.activeElement.autocomplete === 'one-time-code'");
        await page.Keyboard.TypeAsync(StaffAccounts.CodeNow(site, key!));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url("/intern"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Abmelden", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Like <see cref="PageChecks.TabUntilAsync"/>, for the editor's long form: up to 250 Tab presses; the stop reached shows a visible focus.</summary>
    private static async Task TabUntilAsync(IPage page, string condition)
    {
        for (var i = 0; i < 250; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(condition))
            {
                await PageChecks.AssertFocusVisibleAsync(page);
                return;
            }
        }

        Assert.Fail($"Nach 250 Tab-Schritten nicht erreicht: {condition}");
    }
}
