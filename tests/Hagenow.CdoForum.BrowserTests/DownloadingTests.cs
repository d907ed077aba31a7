using System.Text;
using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>A visitor downloads the calendar file and the printable programme from the event page, by following its links.</summary>
public sealed class DownloadingTests(Chromium chromium, DownloadingTests.Site site) : IClassFixture<DownloadingTests.Site>
{
    public sealed class Site : BrowserSite;

    [Fact]
    public async Task Calendar_link_downloads_an_ics_file_for_the_event()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync($"/veranstaltungen/{BrowserSite.SeedSlug}");
        var link = session.Page.GetByRole(AriaRole.Link, new() { Name = "Kalenderdatei (.ics)" });

        var download = await session.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var bytes = await ReadAsync(download);

        Assert.EndsWith(".ics", download.SuggestedFilename, StringComparison.Ordinal);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("BEGIN:VCALENDAR", text, StringComparison.Ordinal);
        Assert.Contains("METHOD:PUBLISH", text, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", text, StringComparison.Ordinal);
        await AssertContentTypeAsync(session, await link.GetAttributeAsync("href"), "text/calendar");
        session.AssertOnlyOwnHostRequested();
    }

    [Fact]
    public async Task Programme_link_opens_the_pdf()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        await session.GotoAsync($"/veranstaltungen/{BrowserSite.SeedSlug}");
        var link = session.Page.GetByRole(AriaRole.Link, new() { Name = "Programm als PDF" });

        // Chromium opens the PDF in its own viewer; what the page then holds is the viewer, so the file itself is
        // fetched once more through the browser context's request API (same cookies, same server).
        var response = await session.Page.RunAndWaitForResponseAsync(() => link.ClickAsync(), r => r.Url.EndsWith("/programm.pdf", StringComparison.Ordinal));
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"], StringComparison.Ordinal);

        var file = await session.Page.APIRequest.GetAsync(response.Url);
        var bytes = await file.BodyAsync();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        Assert.True(bytes.Length > 1000, $"PDF mit nur {bytes.Length} Bytes");
        session.AssertOnlyOwnHostRequested();
    }

    private static async Task<byte[]> ReadAsync(IDownload download)
    {
        Assert.Null(await download.FailureAsync());
        var path = await download.PathAsync();
        return await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
    }

    private static async Task AssertContentTypeAsync(BrowserSession session, string? href, string expected)
    {
        Assert.NotNull(href);
        var response = await session.Page.APIRequest.GetAsync(session.Site.Url(href));
        Assert.Equal(200, response.Status);
        Assert.StartsWith(expected, response.Headers["content-type"], StringComparison.Ordinal);
    }
}
