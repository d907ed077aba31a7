using Hagenow.CdoForum.Web;
using System.Text;
using Hagenow.CdoForum.BrowserTests.Infrastructure;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests;

/// <summary>
/// A KTS staff member works in the staff area as a person does: is sent to the login, mistypes the password, logs in with
/// the keyboard (enrolling the authenticator app first, then with a recovery code), finds a person in the attendee list, marks attendance after the confirmation step, downloads the exports
/// and logs out. Every staff page passes axe and reflows in every view (<see cref="StaffPagesTests"/>, on a site of its own
/// so that the two classes run side by side).
/// </summary>
public sealed class WorkingInTheStaffAreaTests(Chromium chromium, WorkingInTheStaffAreaTests.Site site) : IClassFixture<WorkingInTheStaffAreaTests.Site>
{
    private const string Email = "team@kts.example.de";
    internal static readonly string ListPath = $"/intern/veranstaltungen/{BrowserSite.SeedSlug}";

    /// <summary>
    /// The site with one staff account (made with the `staff add` command) and four sign-ups for the seed event made by the
    /// registration service, one of them cancelled, and one confirmation mail that failed for good.
    /// </summary>
    public sealed class Site : BrowserSite
    {
        /// <summary>Looked at page by page; never changed by a test.</summary>
        public int PersonId { get; private set; }

        public long FailedMailId { get; private set; }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var ct = TestContext.Current.CancellationToken;
            using var input = new StringReader(StaffAccounts.Password + "\n");
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await CommandLine.RunAsync(["staff", "add", "--email", Email], Services, input, output, error);
            Assert.True(exit == 0, error.ToString());

            await using var scope = Services.CreateAsyncScope();
            var registrations = scope.ServiceProvider.GetRequiredService<RegistrationService>();
            var db = scope.ServiceProvider.GetRequiredService<CdoForumDbContext>();
            (string First, string Last, string Email, string Organisation)[] people =
            [
                ("Karl", "Weber", "karl.weber@schwerin.example.de", "Landeshauptstadt Schwerin"),
                ("Jana", "Brandt", "jana.brandt@hagenow.example.de", "Stadt Hagenow"),
                ("Aylin", "Demir", "aylin.demir@lup.example.de", "Landkreis Ludwigslust-Parchim"),
                ("Olaf", "Petersen", "olaf.petersen@rostock.example.de", "Hanse- und Universitätsstadt Rostock"),
            ];
            foreach (var (first, last, email, organisation) in people)
            {
                var details = new SignUpDetails(new ParticipantDetails(first, last, organisation, "Chief Digital Officer"), email,
                    "Wie verstetigen andere Kommunen ihre Projekte?", null);
                var result = await registrations.SignUpAsync(SeedSlug, details, ct);
                Assert.Equal(SignUpOutcome.Confirmed, result.Outcome);
            }

            var petersen = await db.Registrations.SingleAsync(r => r.LastName == "Petersen", ct);
            Assert.True(await registrations.CancelAsync(petersen.Id, staffActor: null, ct));

            var weber = await db.Registrations.Include(r => r.Event).SingleAsync(r => r.LastName == "Weber", ct);
            PersonId = weber.Id;
            var failed = scope.ServiceProvider.GetRequiredService<RegistrationMails>().Create(MailKind.Confirmation, weber, weber.Event);
            failed.Status = OutboxStatus.Failed;
            failed.Attempts = 8;
            failed.LastError = "550 5.1.1 <karl.weber@schwerin.example.de>: Postfach unbekannt";
            db.OutboxMessages.Add(failed);
            await db.SaveChangesAsync(ct);
            FailedMailId = failed.Id;
        }
    }

    [Fact]
    public async Task Anonymous_visit_lands_on_the_login_page_and_a_wrong_password_shows_the_German_error()
    {
        foreach (var view in Enum.GetValues<View>())
        {
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            var page = session.Page;
            await session.GotoAsync("/intern");

            Assert.StartsWith(site.Url("/intern/anmelden"), page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung für Mitarbeitende", Level = 1 })).ToBeVisibleAsync();
            await PageChecks.AssertPageAsync(session, "intern-anmelden");

            await page.GetByLabel("E-Mail-Adresse", new() { Exact = true }).FillAsync(Email);
            await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync("Leuchtturm Gießkanne Fahrradhupe");
            await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();

            await Assertions.Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
            await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync(
                "Die Anmeldung ist fehlgeschlagen. Entweder passen E-Mail-Adresse und Passwort nicht zusammen");
            Assert.StartsWith("Fehler:", await page.TitleAsync(), StringComparison.Ordinal);
            Assert.Equal(Email, await page.GetByLabel("E-Mail-Adresse", new() { Exact = true }).InputValueAsync());
            Assert.Equal("", await page.GetByLabel("Passwort", new() { Exact = true }).InputValueAsync());
            await PageChecks.AssertPageAsync(session, "intern-anmelden-fehler");
            session.AssertOnlyOwnHostRequested();
        }

        // Still locked out of the list after the failed attempts.
        await using var check = await BrowserSession.OpenAsync(chromium, site);
        await check.GotoAsync(ListPath);
        Assert.StartsWith(site.Url("/intern/anmelden"), check.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_enrols_the_authenticator_app_and_logs_in_again_with_a_recovery_code_using_only_the_keyboard()
    {
        foreach (var view in Enum.GetValues<View>())
        {
            var (email, _) = await StaffAccounts.CreateAsync(site, enrolled: false);
            await using var session = await BrowserSession.OpenAsync(chromium, site, view);
            var page = session.Page;
            await session.GotoAsync("/intern/anmelden");

            await TypePasswordWithKeyboardAsync(page, email);
            await page.WaitForURLAsync(site.Url("/intern/einrichten"), new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Zweiten Faktor einrichten", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR-Code zum Einrichten der Authenticator-App" })).ToBeVisibleAsync();
            await PageChecks.AssertPageAsync(session, "intern-einrichten");
            var key = (await page.Locator(".totp-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);

            await PageChecks.TabUntilAsync(page, "() => document.activeElement.id === 'Code'");
            await PageChecks.AssertFocusVisibleAsync(page);
            await page.Keyboard.TypeAsync(StaffAccounts.CodeNow(site, key));
            await page.Keyboard.PressAsync("Enter");

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Zweiter Faktor eingerichtet", Level = 1 })).ToBeVisibleAsync();
            var codes = await page.Locator(".recovery-codes code").AllInnerTextsAsync();
            Assert.Equal(10, codes.Count);
            await PageChecks.AssertPageAsync(session, "intern-einrichten-fertig");
            await PageChecks.TabUntilAsync(page, "() => document.activeElement.textContent === 'Weiter zum internen Bereich'");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(site.Url("/intern"), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator(".staff-bar")).ToContainTextAsync($"Angemeldet als {email}");

            // A later login on another PC, without the phone: password, then one of the recovery codes.
            await using var later = await BrowserSession.OpenAsync(chromium, site, view);
            var laterPage = later.Page;
            await later.GotoAsync("/intern/anmelden");
            await TypePasswordWithKeyboardAsync(laterPage, email);
            await laterPage.WaitForURLAsync(site.Url("/intern/zweiter-faktor"), new() { Timeout = 30_000 });
            await PageChecks.AssertPageAsync(later, "intern-zweiter-faktor");
            await PageChecks.TabUntilAsync(laterPage, "() => document.activeElement.id === 'Code'");
            await laterPage.Keyboard.TypeAsync("000000");
            await laterPage.Keyboard.PressAsync("Enter");
            await Assertions.Expect(laterPage.Locator(".error-summary")).ToBeFocusedAsync();
            await PageChecks.AssertPageAsync(later, "intern-zweiter-faktor-fehler");
            await PageChecks.TabUntilAsync(laterPage, "() => document.activeElement.id === 'Code'");
            await laterPage.Keyboard.TypeAsync(codes[0]);
            await laterPage.Keyboard.PressAsync("Enter");
            await laterPage.WaitForURLAsync(site.Url("/intern"), new() { Timeout = 30_000 });
            await Assertions.Expect(laterPage.GetByRole(AriaRole.Heading, new() { Name = "Interner Bereich: Veranstaltungen" })).ToBeVisibleAsync();
            session.AssertOnlyOwnHostRequested();
            later.AssertOnlyOwnHostRequested();
        }
    }

    [Fact]
    public async Task Staff_finds_a_person_in_the_attendee_list_and_marks_attendance_after_confirming()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var page = session.Page;
        var email = await LogInAsync(session);

        await page.GetByRole(AriaRole.Link, new() { Name = "Digitaler Experimentierraum in der Bibliothek Hagenow", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(site.Url(ListPath));
        await Assertions.Expect(page.GetByText("4 Anmeldungen", new() { Exact = true })).ToBeVisibleAsync();

        // Search by name together with the status filter: one person is left.
        await page.GetByLabel("Suche", new() { Exact = true }).FillAsync("brandt");
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Bestätigt" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Anzeigen" }).ClickAsync();
        await Assertions.Expect(page.GetByText("1 Anmeldung", new() { Exact = true })).ToBeVisibleAsync();
        var rows = page.Locator("table.staff-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("Brandt, Jana");
        Assert.Equal("brandt", await page.GetByLabel("Suche", new() { Exact = true }).InputValueAsync());
        await PageChecks.AssertPageAsync(session, "intern-teilnehmende-suche");

        // A cancelled person cannot be marked as present: no such link in a search for her.
        await page.GetByLabel("Suche", new() { Exact = true }).FillAsync("Petersen");
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Alle" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Anzeigen" }).ClickAsync();
        await Assertions.Expect(rows).ToContainTextAsync("storniert");
        await Assertions.Expect(rows.GetByRole(AriaRole.Link, new() { Name = "Teilnahme vermerken" })).ToHaveCountAsync(0);
        await page.GoBackAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Teilnahme vermerken für Jana Brandt" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Teilnahme vermerken", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Die Person wird als anwesend gezählt.");

        // "Abbrechen" changes nothing.
        await page.GetByRole(AriaRole.Link, new() { Name = "Abbrechen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Jana Brandt", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(FactValue(page, "Teilgenommen")).ToHaveTextAsync("nein");

        await page.GetByRole(AriaRole.Link, new() { Name = "Teilnahme vermerken" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, Teilnahme vermerken" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice--success")).ToContainTextAsync("Die Teilnahme wurde vermerkt.");
        await Assertions.Expect(FactValue(page, "Teilgenommen")).ToContainTextAsync("ja (vermerkt am");
        await PageChecks.AssertPageAsync(session, "intern-person-erledigt");
        await using var scope = site.Services.CreateAsyncScope();
        var attended = await scope.ServiceProvider.GetRequiredService<CdoForumDbContext>().Registrations.AsNoTracking().SingleAsync(r => r.LastName == "Brandt", TestContext.Current.CancellationToken);
        Assert.NotNull(attended.AttendedAtUtc);

        await page.GetByRole(AriaRole.Link, new() { Name = "Protokoll", Exact = true }).ClickAsync();
        var entry = page.Locator("table.staff-table tbody tr").Filter(new() { HasText = "Teilnahme vermerkt" });
        await Assertions.Expect(entry).ToHaveCountAsync(1);
        await Assertions.Expect(entry).ToContainTextAsync(email);
        await Assertions.Expect(entry).ToContainTextAsync(attended.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(entry).Not.ToContainTextAsync("Brandt");
        session.AssertOnlyOwnHostRequested();
    }

    public static TheoryData<string, string, string> Exports => new()
    {
        { "CSV für Excel (alle Anmeldungen)", "text/csv; charset=utf-8", "csv" },
        { "Excel-Datei XLSX (alle Anmeldungen)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
        { "PDF-Liste für den Einlass (bestätigte Personen)", "application/pdf", "pdf" },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task Staff_downloads_an_export_from_the_attendee_list(string linkName, string contentType, string extension)
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site, storageState: await site.StaffStateAsync(chromium, LogInAsync));
        var page = session.Page;
        await session.GotoAsync(ListPath);
        var link = page.GetByRole(AriaRole.Link, new() { Name = linkName });
        var fileName = $"CDO-Forum-2026-03-11-Teilnehmende.{extension}";

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());

        Assert.Null(await download.FailureAsync());
        Assert.Equal(fileName, download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        switch (extension)
        {
            case "csv":
                Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
                var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
                Assert.StartsWith("Vorname;Nachname;E-Mail;Organisation;Funktion;Status;Angemeldet am;", text, StringComparison.Ordinal);
                Assert.Contains("Teilgenommen\r\n", text, StringComparison.Ordinal);
                Assert.Contains("Karl;Weber;karl.weber@schwerin.example.de;Landeshauptstadt Schwerin;", text, StringComparison.Ordinal);
                break;
            case "xlsx":
                Assert.Equal("PK"u8.ToArray(), bytes[..2]);
                break;
            default:
                Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
                break;
        }

        // The headers, fetched once more with the browser's cookies.
        var response = await page.APIRequest.GetAsync(site.Url(await link.GetAttributeAsync("href") ?? ""));
        Assert.Equal(200, response.Status);
        Assert.Equal(contentType, response.Headers["content-type"]);
        Assert.StartsWith("attachment", response.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Contains(fileName, response.Headers["content-disposition"], StringComparison.Ordinal);
        session.AssertOnlyOwnHostRequested();

        // Without a login the same address gives the login page, not the list.
        await using var anonymous = await BrowserSession.OpenAsync(chromium, site);
        var refused = await anonymous.Page.APIRequest.GetAsync(site.Url($"{ListPath}/export.{extension}"), new() { MaxRedirects = 0 });
        Assert.Equal(302, refused.Status);
        Assert.Contains("/intern/anmelden", refused.Headers["location"], StringComparison.Ordinal);
        Assert.DoesNotContain("Weber", await refused.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_logs_out_after_confirming_and_the_list_needs_a_login_again()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, site);
        var page = session.Page;
        await LogInAsync(session);

        await page.GetByRole(AriaRole.Link, new() { Name = "Abmelden", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Abmelden", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Jetzt abmelden" }).ClickAsync();

        await page.WaitForURLAsync(site.Url("/intern/anmelden?abgemeldet=true"));
        await Assertions.Expect(page.Locator(".notice--success")).ToHaveTextAsync("Sie haben sich abgemeldet.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Protokoll", Exact = true })).ToHaveCountAsync(0);
        await PageChecks.AssertPageAsync(session, "intern-abgemeldet");

        await session.GotoAsync(ListPath);
        Assert.StartsWith(site.Url("/intern/anmelden"), page.Url, StringComparison.Ordinal);
        session.AssertOnlyOwnHostRequested();
    }

    /// <summary>
    /// Logs in through the login form and the code page, as a person does with the mouse. Each login uses its own enrolled
    /// account: a code is accepted once, and these tests log in many times within one 30-second step.
    /// </summary>
    private Task<string> LogInAsync(BrowserSession session) => StaffAccounts.LogInAsync(site, session);

    private static async Task TypePasswordWithKeyboardAsync(IPage page, string email)
    {
        await PageChecks.TabUntilAsync(page, "() => document.activeElement.id === 'Input_Email'");
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Input_Password", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await PageChecks.AssertFocusVisibleAsync(page);
        await page.Keyboard.TypeAsync(StaffAccounts.Password);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>The value next to a label in the person page's list of facts.</summary>
    private static ILocator FactValue(IPage page, string label) =>
        page.Locator($"dl > div:has(> dt:text-is('{label}')) > dd");
}
