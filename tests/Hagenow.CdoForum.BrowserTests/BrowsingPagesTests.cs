using Hagenow.CdoForum.BrowserTests.Infrastructure;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// A visitor reads the public pages: on a desktop window, on a 320 px phone and at 200 % zoom. Every view has no axe
/// violation, needs no horizontal scrolling, is saved as a screenshot and loads nothing from another host.
/// </summary>
public sealed class BrowsingPagesTests(Chromium chromium, BrowsingPagesTests.Site site) : IClassFixture<BrowsingPagesTests.Site>
{
    public sealed class Site : BrowserSite;

    public static TheoryData<string, string, int> Pages => new()
    {
        { "start", "/", 200 },
        { "veranstaltung", $"/veranstaltungen/{BrowserSite.SeedSlug}", 200 },
        { "impressum", "/impressum", 200 },
        { "datenschutz", "/datenschutz", 200 },
        { "barrierefreiheit", "/barrierefreiheit", 200 },
        { "nicht-gefunden", "/veranstaltungen/gibt-es-nicht", 404 },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_is_accessible_in_every_view(string name, string path, int status)
    {
        foreach (var view in Enum.GetValues<View>())
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            await session.GotoAsync(path, status);

            await PageChecks.AssertPageAsync(session, name);
            session.AssertOnlyOwnHostRequested();
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_link_is_reached_with_Tab_in_reading_order_with_a_visible_focus(string name, string path, int status)
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync(path, status);

        var stops = await PageChecks.AssertTabOrderAsync(session.Page, name);

        Assert.True(stops >= 6, $"{name}: nur {stops} Tab-Stopps (Sprunglink, Navigation und Fußzeile fehlen?)");
    }

    [Fact]
    public async Task Visitor_goes_from_the_start_page_to_the_event_and_its_sections()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync("/");

        await session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Digitaler Experimentierraum" }).First.ClickAsync();

        Assert.EndsWith($"/veranstaltungen/{BrowserSite.SeedSlug}", session.Page.Url, StringComparison.Ordinal);
        Assert.Equal("Digitaler Experimentierraum in der Bibliothek Hagenow", (await session.Page.Locator("h1").InnerTextAsync()).Trim());
        session.AssertOnlyOwnHostRequested();
    }

    [Fact]
    public async Task Skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync($"/veranstaltungen/{BrowserSite.SeedSlug}");

        await session.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("Zum Inhalt springen", await session.Page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await PageChecks.AssertFocusVisibleAsync(session.Page);
        Assert.True(await session.Page.Locator(".skip-link").IsVisibleAsync());

        await session.Page.Keyboard.PressAsync("Enter");
        Assert.Equal("inhalt", await session.Page.EvaluateAsync<string>("() => document.activeElement.id"));
    }
}
