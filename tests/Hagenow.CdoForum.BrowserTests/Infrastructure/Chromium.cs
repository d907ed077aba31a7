using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Hagenow.CdoForum.BrowserTests.Infrastructure.Chromium))]

namespace Hagenow.CdoForum.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright: one browser process for the whole test run; each test opens its own
/// context (fresh cookies). A missing browser is a failure with a hint, never a skip, on a developer machine and in CI.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium wurde noch nicht gestartet.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            var where = Environment.GetEnvironmentVariable("CI") == "true" ? "CI: .ci/run must install it" : "developer machine";
            throw new InvalidOperationException(
                $"Chromium is missing at {ExecutablePath} ({where}). Install Debian's browser with: sudo apt-get install chromium");
        }

        // Expect(...) waits for its condition 5 s by default: too short when other work loads both cores. A passing check
        // returns as soon as its condition holds, so this costs nothing on a quiet machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
