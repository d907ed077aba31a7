using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Xunit.Sdk;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// The checks every other test relies on can fail: each is shown a page broken on purpose and must refuse it.
/// Without these, a check that never fires would look the same as an accessible site.
/// </summary>
public sealed class PageChecksTests(Chromium chromium, PageChecksTests.Site site) : IClassFixture<PageChecksTests.Site>
{
    public sealed class Site : BrowserSite;

    [Fact]
    public async Task Axe_reports_text_with_too_little_contrast()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync("/impressum");
        await session.Page.EvaluateAsync("() => { const p = document.querySelector('main p'); p.style.color = '#bbb'; }");

        var failure = await Assert.ThrowsAsync<FailException>(() => PageChecks.AssertNoAxeViolationsAsync(session.Page, "kaputt"));

        Assert.Contains("color-contrast", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reflow_check_reports_an_element_wider_than_a_320_px_screen()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site, View.Narrow320);
        await session.GotoAsync("/impressum");
        await PageChecks.AssertReflowsAsync(session.Page, "vorher");
        await session.Page.EvaluateAsync("() => { const p = document.querySelector('main p'); p.style.width = '500px'; }");

        var failure = await Assert.ThrowsAsync<TrueException>(() => PageChecks.AssertReflowsAsync(session.Page, "kaputt"));

        Assert.Contains("breit", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reflow_check_reports_text_cut_off_by_its_box()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site, View.Narrow320);
        await session.GotoAsync("/impressum");
        await session.Page.EvaluateAsync("""
            () => {
                const h = document.querySelector('h1');
                h.style.overflow = 'hidden'; h.style.whiteSpace = 'nowrap'; h.style.width = '100px';
            }
            """);

        var failure = await Assert.ThrowsAsync<TrueException>(() => PageChecks.AssertReflowsAsync(session.Page, "kaputt"));

        Assert.Contains("schneidet Text ab", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_log_reports_a_request_to_another_host()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync("/impressum");
        session.AssertOnlyOwnHostRequested();

        // Another host name for the same loopback server: no traffic leaves the machine.
        await session.Page.GotoAsync($"http://localhost:{site.BaseAddress.Port}/impressum");

        var failure = Assert.Throws<TrueException>(session.AssertOnlyOwnHostRequested);
        Assert.Contains("localhost", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Focus_check_reports_an_element_without_a_focus_indicator()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync("/impressum");
        await session.Page.Keyboard.PressAsync("Tab");
        await PageChecks.AssertFocusVisibleAsync(session.Page);
        await session.Page.EvaluateAsync("() => { const a = document.activeElement; a.style.outline = 'none'; a.style.boxShadow = 'none'; }");

        var failure = await Assert.ThrowsAsync<TrueException>(() => PageChecks.AssertFocusVisibleAsync(session.Page));

        Assert.Contains("keinen Fokusrahmen", failure.Message, StringComparison.Ordinal);
    }
}
