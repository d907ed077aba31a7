using System.Text.RegularExpressions;
using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// A participant signs up as a person does: with the keyboard only, with mistakes, twice, and cancels again. Every page
/// on the way (the form with errors, the participant page, the duplicate notice, the cancel step) passes axe in every view.
/// </summary>
public sealed partial class SigningUpTests(Chromium chromium, SigningUpTests.Site site) : IClassFixture<SigningUpTests.Site>
{
    public sealed class Site : BrowserSite;

    private static readonly string EventPath = $"/veranstaltungen/{BrowserSite.SeedSlug}";
    private static readonly string FormPath = $"{EventPath}/anmeldung";

    [Fact]
    public async Task Participant_signs_up_with_the_keyboard_only_and_lands_on_the_participant_page()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var page = session.Page;
        await session.GotoAsync(EventPath);

        await PageChecks.TabUntilAsync(page, "() => document.activeElement.textContent.trim() === 'Jetzt anmelden'");
        // Wait for the new address itself: the event page is already "loaded" before Enter takes effect.
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url(FormPath));
        await PageChecks.AssertPageAsync(session, "anmeldung");

        // The fields come in reading order, each reached with one Tab and showing its focus.
        await PageChecks.TabUntilAsync(page, "() => document.activeElement.id === 'FirstName'");
        (string Id, string? Text)[] order =
        [
            ("FirstName", "Erika"), ("LastName", "Mustermann"), ("Email", "erika.tastatur@example.org"),
            ("Organisation", "Stadt Hagenow"), ("JobTitle", "CDO"), ("Question", "Wie finanziert sich der Raum?"),
            ("AccessibilityNeeds", null), ("Consent", null),
        ];
        foreach (var (id, text) in order)
        {
            Assert.Equal(id, await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await PageChecks.AssertFocusVisibleAsync(page);
            if (text is not null)
            {
                await page.Keyboard.TypeAsync(text);
            }

            if (id == "Consent")
            {
                await page.Keyboard.PressAsync("Space");
                Assert.True(await page.Locator("#Consent").IsCheckedAsync());
            }

            await page.Keyboard.PressAsync("Tab");
        }

        // The privacy link inside the consent label, then the button; the honeypot is never a tab stop.
        Assert.Equal("/datenschutz", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Verbindlich anmelden", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await PageChecks.AssertFocusVisibleAsync(page);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(TokenUrl());
        await Assertions.Expect(page.Locator(".registration-status")).ToContainTextAsync("Ihre Anmeldung ist bestätigt.");
        await Assertions.Expect(page.Locator(".registration-details")).ToContainTextAsync("erika.tastatur@example.org");
        session.AssertOnlyOwnHostRequested();
        await AssertInEveryViewAsync(page.Url, "teilnahme");
    }

    [Fact]
    public async Task Empty_form_moves_focus_to_the_error_summary_and_each_link_focuses_its_field()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var page = session.Page;
        await session.GotoAsync(FormPath);

        await page.GetByRole(AriaRole.Button, new() { Name = "Verbindlich anmelden" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        // The form page before the POST has no summary: this waits for the answer.
        await Assertions.Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
        Assert.StartsWith("Fehler:", await page.TitleAsync(), StringComparison.Ordinal);
        var links = page.Locator(".error-summary a");
        var targets = await links.EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href').slice(1))");
        Assert.Equal(["FirstName", "LastName", "Email", "Organisation", "Consent"], targets);
        for (var i = 0; i < targets.Length; i++)
        {
            await links.Nth(i).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal(targets[i], await page.EvaluateAsync<string>("() => document.activeElement.id"));
            Assert.Equal("true", await page.Locator($"#{targets[i]}").GetAttributeAsync("aria-invalid"));
        }

        await PageChecks.AssertPageAsync(session, "anmeldung-fehler");
        foreach (var view in new[] { View.Narrow320, View.Zoom200 })
        {
            await using var narrow = await BrowserSession.OpenAsync(chromium, site, view);
            await narrow.GotoAsync(FormPath);
            await narrow.Page.GetByRole(AriaRole.Button, new() { Name = "Verbindlich anmelden" }).ClickAsync();
            await Assertions.Expect(narrow.Page.Locator(".error-summary")).ToBeFocusedAsync();
            await PageChecks.AssertPageAsync(narrow, "anmeldung-fehler");
        }

        session.AssertOnlyOwnHostRequested();
    }

    [Fact]
    public async Task Signing_up_twice_with_the_same_address_says_it_is_already_registered()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await SignUpAsync(session, "doppelt@example.org");

        await SignUpAsync(session, "Doppelt@Example.org", expectParticipantPage: false);

        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Diese E-Mail-Adresse ist bereits angemeldet" })).ToBeVisibleAsync();
        await PageChecks.AssertPageAsync(session, "anmeldung-doppelt");
        session.AssertOnlyOwnHostRequested();
    }

    [Fact]
    public async Task Participant_cancels_after_a_confirmation_step()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var page = session.Page;
        await SignUpAsync(session, "storno@example.org");
        var participantUrl = page.Url;

        await page.GetByRole(AriaRole.Link, new() { Name = "Anmeldung stornieren …" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung stornieren?" })).ToBeVisibleAsync();
        await PageChecks.AssertPageAsync(session, "stornieren");

        // "No" changes nothing.
        await page.GetByRole(AriaRole.Link, new() { Name = "Nein, zurück" }).ClickAsync();
        await page.WaitForURLAsync(participantUrl);
        await Assertions.Expect(page.Locator(".registration-status")).ToContainTextAsync("bestätigt");

        await page.GetByRole(AriaRole.Link, new() { Name = "Anmeldung stornieren …" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, Anmeldung stornieren" }).ClickAsync();

        await Assertions.Expect(page.Locator(".registration-status")).ToContainTextAsync("Diese Anmeldung ist storniert.");
        await PageChecks.AssertPageAsync(session, "teilnahme-storniert");
        session.AssertOnlyOwnHostRequested();
    }

    private static async Task SignUpAsync(BrowserSession session, string email, bool expectParticipantPage = true)
    {
        var page = session.Page;
        await session.GotoAsync(FormPath);
        await page.GetByLabel("Vorname").FillAsync("Max");
        await page.GetByLabel("Nachname").FillAsync("Beispiel");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Organisation", new() { Exact = true }).FillAsync("Landkreis Ludwigslust-Parchim");
        await page.Locator("#Consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Verbindlich anmelden" }).ClickAsync();
        if (expectParticipantPage)
        {
            await page.WaitForURLAsync(TokenUrl());
        }
    }

    private async Task AssertInEveryViewAsync(string url, string name)
    {
        foreach (var view in new[] { View.Narrow320, View.Zoom200 })
        {
            await using var other = await BrowserSession.OpenAsync(chromium, site, view);
            await other.GotoAsync(new Uri(url).PathAndQuery);
            await PageChecks.AssertPageAsync(other, name);
            other.AssertOnlyOwnHostRequested();
        }
    }

    [GeneratedRegex(@"/anmeldung/[A-Za-z0-9_-]{16,}$")]
    private static partial Regex TokenUrl();
}
