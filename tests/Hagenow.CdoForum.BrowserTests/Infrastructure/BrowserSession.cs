using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests.Infrastructure;

/// <summary>How the page is looked at: a desktop window, a 320 px phone (WCAG 1.4.10), or a 1280 px window at 200 % zoom.</summary>
public enum View
{
    Desktop,
    Narrow320,

    /// <summary>
    /// Browser zoom of 200 % on a 1280 × 900 window lays the page out in 640 × 450 CSS pixels, each drawn with two device
    /// pixels: exactly a 640 px viewport with device scale factor 2.
    /// </summary>
    Zoom200,
}

/// <summary>
/// One browser context (fresh cookies) with one page, on one site. Records every request the browser makes, so a test
/// can assert that nothing is loaded from another host.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>Addresses that never leave the browser: inline data, and the resources of Chromium's built-in PDF viewer.</summary>
    private static readonly string[] InsideTheBrowser = ["data:", "blob:", "about:", "chrome://", "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"];

    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _requests = new();

    private BrowserSession(IBrowserContext context, IPage page, BrowserSite site, View view)
    {
        _context = context;
        Page = page;
        Site = site;
        View = view;
        context.Request += (_, request) => _requests.Enqueue(request.Url);
    }

    public IPage Page { get; }

    public BrowserSite Site { get; }

    public View View { get; }

    public IReadOnlyCollection<string> Requests => _requests;

    /// <param name="storageState">Cookies saved by <see cref="StorageStateAsync"/> of another session, e.g. a staff login.</param>
    public static async Task<BrowserSession> OpenAsync(Chromium chromium, BrowserSite site, View view = View.Desktop, string? storageState = null)
    {
        var (width, height, scale) = view switch
        {
            View.Narrow320 => (320, 640, 1f),
            View.Zoom200 => (640, 450, 2f),
            _ => (1280, 900, 1f),
        };
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = scale,
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
            AcceptDownloads = true,
            StorageState = storageState,
        });
        // Generous: on a loaded machine both test assemblies, and often other work, share two cores.
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, site, view);
    }

    /// <summary>Opens a path on the site and expects the given HTTP status.</summary>
    public async Task GotoAsync(string path, int expectedStatus = 200)
    {
        var response = await Page.GotoAsync(Site.Url(path));
        Assert.NotNull(response);
        Assert.Equal(expectedStatus, response.Status);
    }

    /// <summary>Every request the browser made went to the site itself: no fonts, scripts, images or trackers from elsewhere.</summary>
    public void AssertOnlyOwnHostRequested()
    {
        Assert.NotEmpty(_requests);
        var foreign = _requests
            .Where(url => !InsideTheBrowser.Any(scheme => url.StartsWith(scheme, StringComparison.Ordinal)))
            .Where(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Authority != Site.BaseAddress.Authority)
            .Distinct()
            .ToList();
        Assert.True(foreign.Count == 0, "Anfragen an andere Hosts:\n" + string.Join("\n", foreign));
    }

    /// <summary>This session's cookies and local storage, to open further sessions already logged in.</summary>
    public Task<string> StorageStateAsync() => _context.StorageStateAsync();

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
