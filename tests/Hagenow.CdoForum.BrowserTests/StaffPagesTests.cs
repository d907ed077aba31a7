using Hagenow.CdoForum.BrowserTests.Infrastructure;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// Every staff page passes axe, reflows in every view and, on the desktop, is walked through with Tab. On a site of its
/// own with the same people as <see cref="WorkingInTheStaffAreaTests"/>, so that the two classes run side by side.
/// </summary>
public sealed class StaffPagesTests(Chromium chromium, WorkingInTheStaffAreaTests.Site site) : IClassFixture<WorkingInTheStaffAreaTests.Site>
{
    /// <summary>Every staff page; "{person}" and "{mail}" stand for the ids of the site's fixed person and failed mail.</summary>
    public static TheoryData<string, string> StaffPages => new()
    {
        { "intern-uebersicht", "/intern" },
        { "intern-teilnehmende", WorkingInTheStaffAreaTests.ListPath },
        { "intern-person", $"{WorkingInTheStaffAreaTests.ListPath}/anmeldungen/{{person}}" },
        { "intern-bestaetigen", $"{WorkingInTheStaffAreaTests.ListPath}/anmeldungen/{{person}}/teilnahme" },
        { "intern-loeschen", $"{WorkingInTheStaffAreaTests.ListPath}/anmeldungen/{{person}}/loeschen" },
        { "intern-protokoll", "/intern/protokoll" },
        { "intern-mails", "/intern/mails" },
        { "intern-mail-erneut-senden", "/intern/mails/{mail}/erneut-senden" },
        { "intern-abmelden", "/intern/abmelden" },
        { "intern-auskunft", "/intern/auskunft" },
    };

    [Theory]
    [MemberData(nameof(StaffPages))]
    public async Task Staff_page_is_accessible_in_every_view(string name, string path)
    {
        path = path
            .Replace("{person}", site.PersonId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{mail}", site.FailedMailId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var view in Enum.GetValues<View>())
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view, await site.StaffStateAsync(chromium, login => StaffAccounts.LogInAsync(site, login)));
            await session.GotoAsync(path);

            await PageChecks.AssertPageAsync(session, name);
            if (view == View.Desktop)
            {
                await PageChecks.AssertTabOrderAsync(session.Page, name);
            }

            session.AssertOnlyOwnHostRequested();
        }
    }
}
