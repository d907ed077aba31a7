using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>A visitor comes after the event has taken place: the page says so, offers no sign-up, and is still accessible.</summary>
public sealed class VisitingAfterTheEventTests(Chromium chromium, VisitingAfterTheEventTests.Site site) : IClassFixture<VisitingAfterTheEventTests.Site>
{
    public sealed class Site : BrowserSite
    {
        protected override string ClockNow => "2026-11-26T10:00";
    }

    [Fact]
    public async Task Past_event_page_says_it_took_place_and_is_accessible_in_every_view()
    {
        foreach (var view in Enum.GetValues<View>())
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            await session.GotoAsync($"/veranstaltungen/{BrowserSite.SeedSlug}");

            await Assertions.Expect(session.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("stattgefunden");
            Assert.Equal(0, await session.Page.GetByRole(AriaRole.Link, new() { Name = "Jetzt anmelden" }).CountAsync());
            await PageChecks.AssertPageAsync(session, "veranstaltung-vergangen");
            session.AssertOnlyOwnHostRequested();
        }
    }

    [Fact]
    public async Task Start_page_lists_the_event_under_past_events()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync("/");

        var past = session.Page.GetByRole(AriaRole.Region, new() { Name = "Vergangene Veranstaltungen" });
        await Assertions.Expect(past.GetByRole(AriaRole.Link)).ToContainTextAsync("Digitaler Experimentierraum");
        await PageChecks.AssertPageAsync(session, "start-vergangen");
    }
}
