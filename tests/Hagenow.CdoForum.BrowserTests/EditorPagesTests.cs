using Hagenow.CdoForum.BrowserTests.Infrastructure;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// Every editor page passes axe and reflows at 320 px and 200 %, looked at by a logged-in staff member. On a site of its
/// own with the same events as <see cref="RunningTheSeriesTests"/>, so that the two classes run side by side.
/// </summary>
public sealed class EditorPagesTests(Chromium chromium, RunningTheSeriesTests.Site site) : IClassFixture<RunningTheSeriesTests.Site>
{
    public static TheoryData<string, string> EditorPages => new()
    {
        { "editor-neu", $"/intern/veranstaltungen/neu?vorlage={BrowserSite.SeedSlug}" },
        { "editor-bearbeiten", $"/intern/veranstaltungen/{RunningTheSeriesTests.DraftSlug}/bearbeiten" },
        { "editor-vorschau", $"/intern/veranstaltungen/{RunningTheSeriesTests.DraftSlug}/vorschau" },
        { "editor-veroeffentlichen", $"/intern/veranstaltungen/{RunningTheSeriesTests.DraftSlug}/veroeffentlichen" },
        { "editor-zurueckziehen", $"/intern/veranstaltungen/{RunningTheSeriesTests.PublishedSlug}/zurueckziehen" },
        { "editor-uebersicht", "/intern" },
        { "startseite", "/" },
    };

    [Theory]
    [MemberData(nameof(EditorPages))]
    public async Task Editor_page_is_accessible_in_every_view(string name, string path)
    {
        foreach (var view in Enum.GetValues<View>())
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view, await site.StaffStateAsync(chromium, login => StaffAccounts.LogInAsync(site, login)));
            await session.GotoAsync(path);
            await PageChecks.AssertPageAsync(session, name);
            session.AssertOnlyOwnHostRequested();
        }
    }
}
