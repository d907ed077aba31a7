using System.Globalization;
using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests.Infrastructure;

/// <summary>What every page must pass: axe-core's WCAG 2.1 A/AA rules, reflow without cut-off content, and a screenshot to look at.</summary>
public static class PageChecks
{
    /// <summary>axe-core as shipped in Deque.AxeCore.Commons (no network), read once.</summary>
    private static readonly string AxeScript = new BundledAxeScriptProvider().GetScript();

    /// <summary>
    /// The WCAG 2.1 A and AA rules, all of them run; only the violations come back node by node (axe's documented
    /// speed-up), each with at most five nodes, as a small JSON object. Called directly instead of through
    /// Deque.AxeCore.Playwright's RunAxe, whose run-partial protocol carries every rule's node data through Playwright
    /// and back: 0.5–1.2 s per call against 0.2 s for the same axe-core run here (measured on the start page).
    /// </summary>
    private const string AxeRun = """
        () => axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'],
        }).then(r => ({
            passes: r.passes.length,
            violations: r.violations.map(v => ({
                id: v.id,
                impact: v.impact ?? '',
                help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({
                    target: n.target.join(' '),
                    html: n.html,
                    messages: [...n.any, ...n.all, ...n.none].map(c => c.message),
                })),
            })),
        }))
        """;

    /// <summary>Screenshots go to TestResults/screenshots next to the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>
    /// Every checked page and view as a PNG, for people to look at: on by default, off in CI (nobody looks there, and the
    /// full-page PNGs cost about 40 s of CPU per run) unless CDOFORUM_SCREENSHOTS=1.
    /// </summary>
    public static bool TakeScreenshots { get; } =
        Environment.GetEnvironmentVariable("CDOFORUM_SCREENSHOTS") == "1" || Environment.GetEnvironmentVariable("CI") != "true";

    /// <summary>axe-core (shipped inside the package, injected into the page) finds no WCAG 2.1 A or AA violation.</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page, string name)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeScript);
        }

        var result = (await page.EvaluateAsync<JsonElement>(AxeRun)).Deserialize<AxeOutcome>(JsonNames)!;
        Assert.True(result.Passes > 0, $"{name}: axe hat keine Regel geprüft (nicht geladen?)");
        if (result.Violations.Length == 0)
        {
            return;
        }

        var report = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{name}: {result.Violations.Length} axe-Verstöße auf {page.Url}\n"));
        foreach (var violation in result.Violations)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help}");
            foreach (var node in violation.Nodes)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"    {node.Target}: {node.Html}");
                foreach (var message in node.Messages)
                {
                    report.AppendLine(CultureInfo.InvariantCulture, $"      {message}");
                }
            }
        }

        Assert.Fail(report.ToString());
    }

    private static readonly JsonSerializerOptions JsonNames = new(JsonSerializerDefaults.Web);

    private sealed record AxeOutcome(int Passes, AxeViolation[] Violations);

    private sealed record AxeViolation(string Id, string Impact, string Help, AxeNode[] Nodes);

    private sealed record AxeNode(string Target, string Html, string[] Messages);

    /// <summary>
    /// WCAG 1.4.10: the page needs no horizontal scrolling and no visible element reaches past the viewport or has its
    /// text clipped. Data tables may scroll inside their own region (the criterion's exception for two-dimensional content).
    /// </summary>
    public static async Task AssertReflowsAsync(IPage page, string name)
    {
        var problems = await page.EvaluateAsync<string[]>(ReflowScript);
        Assert.True(problems.Length == 0, $"{name}: Inhalt abgeschnitten oder waagerechtes Scrollen nötig:\n" + string.Join("\n", problems));
    }

    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>axe, a screenshot, and for the narrow and zoomed views the reflow check.</summary>
    public static async Task AssertPageAsync(BrowserSession session, string name)
    {
        var fullName = $"{name}-{session.View.ToString().ToLowerInvariant()}";
        if (TakeScreenshots)
        {
            await SaveScreenshotAsync(session.Page, fullName);
        }

        await AssertNoAxeViolationsAsync(session.Page, fullName);
        if (session.View != View.Desktop)
        {
            await AssertReflowsAsync(session.Page, fullName);
        }
    }

    /// <summary>
    /// Why the focused element shows no visible focus indicator (WCAG 2.4.7: an outline of at least 2 px or a box shadow),
    /// or '' when it does. A script expression, so that one Evaluate per Tab stop can ask this together with other questions.
    /// </summary>
    private const string FocusProblem = """
        (() => {
            const el = document.activeElement;
            if (!el || el === document.body) return 'kein Element hat den Fokus';
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            return outline || shadow ? '' : `${el.tagName.toLowerCase()}#${el.id} zeigt keinen Fokusrahmen`;
        })()
        """;

    /// <summary>The focused element shows a visible focus indicator (WCAG 2.4.7): an outline or a box shadow.</summary>
    public static async Task AssertFocusVisibleAsync(IPage page)
    {
        var indicator = await page.EvaluateAsync<string>($"() => {FocusProblem}");
        Assert.True(indicator.Length == 0, indicator);
    }

    /// <summary>
    /// Tab walks through every focusable element in document order (no positive tabindex, no trap) and each shows a
    /// visible focus indicator (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7). Returns how many stops there were.
    /// </summary>
    public static async Task<int> AssertTabOrderAsync(IPage page, string name)
    {
        var expected = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
                .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0 || el.classList.contains('skip-link'))
                .map((el, i) => { el.dataset.tabStop = String(i); return String(i); })
            """);
        Assert.NotEmpty(expected);
        var visited = new List<string>();
        for (var i = 0; i < expected.Length; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            // One round-trip per stop: where the focus is, and whether it is visible there.
            var stop = await page.EvaluateAsync<string[]>($"() => [document.activeElement?.dataset.tabStop ?? '', {FocusProblem}]");
            Assert.True(stop[0].Length > 0, $"{name}: Tab Nr. {i + 1} führt zu einem Element außerhalb der erwarteten Reihenfolge");
            visited.Add(stop[0]);
            Assert.True(stop[1].Length == 0, stop[1]);
        }

        Assert.Equal(expected, visited);
        return visited.Count;
    }

    /// <summary>Presses Tab until the condition (a script returning a boolean) holds, at most 60 times, checking the focus is visible at each stop.</summary>
    public static async Task TabUntilAsync(IPage page, string condition)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            // One round-trip per stop: is the focus visible here, and has the condition been reached.
            var stop = await page.EvaluateAsync<string[]>($"() => [{FocusProblem}, String(Boolean(({condition})()))]");
            Assert.True(stop[0].Length == 0, stop[0]);
            if (stop[1] == "true")
            {
                return;
            }
        }

        Assert.Fail($"Nach 60 Tab-Schritten nicht erreicht: {condition}");
    }

    private const string ReflowScript = """
        () => {
            const problems = [];
            const vw = window.innerWidth;
            const root = document.documentElement;
            if (root.scrollWidth > vw) problems.push(`Seite ist ${root.scrollWidth}px breit, Fenster ${vw}px`);
            const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
                ' „' + (el.textContent || '').trim().slice(0, 40) + '“';
            const scrollerOf = el => {
                for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                    const o = getComputedStyle(p).overflowX;
                    if (o === 'auto' || o === 'scroll') return p;
                }
                return null;
            };
            for (const el of document.body.querySelectorAll('*')) {
                if (el.closest('.visually-hidden, .skip-link, [aria-hidden="true"]')) continue;
                const s = getComputedStyle(el);
                if (s.display === 'none' || s.visibility === 'hidden') continue;
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;
                const scroller = scrollerOf(el);
                if (scroller) {
                    if (scroller.scrollWidth > scroller.clientWidth + 1 && !scroller.querySelector('table'))
                        problems.push(`${describe(scroller)} scrollt waagerecht`);
                    continue;
                }
                if (r.right > vw + 1 || r.left < -1)
                    problems.push(`${describe(el)} reicht von ${Math.round(r.left)} bis ${Math.round(r.right)}px`);
                const clips = ['hidden', 'clip'].includes(s.overflowX);
                if (clips && el.scrollWidth > el.clientWidth + 1)
                    problems.push(`${describe(el)} schneidet Text ab (${el.scrollWidth} > ${el.clientWidth}px)`);
            }
            return [...new Set(problems)].slice(0, 20);
        }
        """;
}
