using System.Text.Json;
using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// In Chromium: the JSON-LD block is read as data under the site's CSP (no violation, nothing in the console), the icons
/// the pages link to load, and no request of a page load ends in an error (the old /favicon.ico 404).
/// </summary>
public sealed class FindingAndSharingTests(Chromium chromium, FindingAndSharingTests.Site site) : IClassFixture<FindingAndSharingTests.Site>
{
    public sealed class Site : BrowserSite;

    // Runs before any page script; Playwright injects it outside the page's CSP.
    private const string RecordViolations = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    [Theory]
    [InlineData("/")]
    [InlineData("/veranstaltungen/" + BrowserSite.SeedSlug)]
    [InlineData("/veranstaltungen/" + BrowserSite.SeedSlug + "/anmeldung")]
    public async Task Page_loads_without_csp_violation_console_error_or_failed_request(string path)
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var console = new List<string>();
        var failed = new List<string>();
        session.Page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                console.Add($"{message.Type}: {message.Text}");
            }
        };
        session.Page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Add($"{response.Status} {response.Url}");
            }
        };
        session.Page.RequestFailed += (_, request) => failed.Add($"{request.Failure} {request.Url}");
        await session.Page.AddInitScriptAsync(RecordViolations);

        await session.GotoAsync(path);
        await session.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var icons = await session.Page.EvaluateAsync<int[]>("""
            () => Promise.all([...document.querySelectorAll('link[rel~="icon"], link[rel="apple-touch-icon"]')]
                .map(l => fetch(l.href).then(r => r.status)))
            """);

        Assert.Empty(await session.Page.EvaluateAsync<string[]>("() => window.__cspViolations"));
        Assert.Empty(console);
        Assert.Empty(failed);
        Assert.Equal([200, 200, 200], icons);
        session.AssertOnlyOwnHostRequested();
    }

    [Fact]
    public async Task Event_data_for_search_engines_parses_in_the_browser_and_matches_the_page()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.Page.AddInitScriptAsync(RecordViolations);
        await session.GotoAsync($"/veranstaltungen/{BrowserSite.SeedSlug}");

        var json = await session.Page.EvaluateAsync<string>("""
            () => JSON.stringify(JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent))
            """);
        using var data = JsonDocument.Parse(json);
        var heading = (await session.Page.Locator("h1").InnerTextAsync()).Trim();

        Assert.Equal(heading, data.RootElement.GetProperty("name").GetString());
        Assert.Equal("2026-03-11T13:00:00+01:00", data.RootElement.GetProperty("startDate").GetString());
        Assert.Empty(await session.Page.EvaluateAsync<string[]>("() => window.__cspViolations"));
        // Data, not script: the block is in the DOM but nothing of it is shown.
        Assert.False(await session.Page.Locator("script[type='application/ld+json']").IsVisibleAsync());
    }
}
