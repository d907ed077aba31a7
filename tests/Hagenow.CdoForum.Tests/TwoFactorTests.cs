using Hagenow.CdoForum.Web;
using System.Net;
using System.Text;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Pages.Intern;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>The second factor of staff logins: enrolment, codes against the site's clock, recovery codes, lockout, reset.</summary>
public sealed class TwoFactorTests(TwoFactorTests.Site site) : IClassFixture<TwoFactorTests.Site>
{
    /// <summary>One site for the class; each test works with its own account.</summary>
    public sealed class Site : SiteFactory
    {
        // Every test logs in several times from the one test client address.
        public Site() => With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // RFC 6238, appendix B: the ASCII key "12345678901234567890" (Base32 below); the 8-digit results end in these 6 digits.
    private const string RfcKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Codes_match_the_RFC_6238_test_vectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcKey, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));

    [Fact]
    public void A_code_counts_one_step_either_side_and_not_further()
    {
        var now = new DateTimeOffset(2026, 11, 26, 9, 0, 15, TimeSpan.Zero);
        var step = Totp.StepAt(now);

        Assert.Equal(step, Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, step), now));
        Assert.Equal(step - 1, Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, step - 1), now));
        Assert.Equal(step + 1, Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, step + 1), now));
        Assert.Null(Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, step - 2), now));
        Assert.Null(Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, step + 2), now));
        Assert.Null(Totp.MatchingStep(RfcKey, "12345", now));
        Assert.Null(Totp.MatchingStep(RfcKey, "abcdef", now));
    }

    public static TheoryData<string> StaffUrls() =>
    [
        "/intern",
        "/intern/protokoll",
        "/intern/mails",
        "/intern/mails/1/erneut-senden",
        "/intern/abmelden",
        "/intern/auskunft",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/anmeldungen/1",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/export.csv",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/export.xlsx",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/export.pdf",
        "/INTERN/VERANSTALTUNGEN/" + TestEvents.SeedSlug + "/EXPORT.CSV",
    ];

    [Theory]
    [MemberData(nameof(StaffUrls))]
    public async Task After_the_password_alone_no_staff_page_opens_neither_before_enrolment_nor_before_the_code(string url)
    {
        var enrolledEmail = $"enrolled-{Guid.NewGuid():N}@kts.example.de";
        var newEmail = $"new-{Guid.NewGuid():N}@kts.example.de";
        await site.CreateStaffAsync(enrolledEmail);
        await site.CreateStaffAsync(newEmail);
        var enrolled = site.CreatePlainClient();
        using (await enrolled.LogInAsync(enrolledEmail, StaffSession.Password))
        using ((await enrolled.EnrolAsync(site)).Response)
        using (await enrolled.SubmitFormAsync("/intern/abmelden"))
        using (var again = await enrolled.LogInAsync(enrolledEmail, StaffSession.Password))
        {
            Assert.Equal("/intern/zweiter-faktor", again.Headers.Location!.ToString());
        }

        var fresh = site.CreatePlainClient();
        using (var first = await fresh.LogInAsync(newEmail, StaffSession.Password))
        {
            Assert.Equal("/intern/einrichten", first.Headers.Location!.ToString());
        }

        foreach (var client in new[] { enrolled, fresh })
        {
            using var response = await client.GetAsync(url, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("http://localhost/intern/anmelden", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Angemeldet als", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_code_and_enrolment_pages_send_anyone_without_the_password_step_to_the_login()
    {
        var client = site.CreatePlainClient();

        using var code = await client.GetAsync("/intern/zweiter-faktor", Ct);
        using var enrol = await client.GetAsync("/intern/einrichten", Ct);

        Assert.Equal("/intern/anmelden", code.Headers.Location!.ToString());
        Assert.Equal("/intern/anmelden", enrol.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Enrolment_shows_the_key_in_groups_and_a_QR_code_drawn_on_the_server_then_ten_recovery_codes_once()
    {
        var email = $"anna-{Guid.NewGuid():N}@kts.example.de";
        await site.CreateStaffAsync(email);
        var client = site.CreatePlainClient();
        using (await client.LogInAsync(email, StaffSession.Password))
        {
        }

        var (status, page) = await client.GetTextAsync("/intern/einrichten");
        var key = await client.EnrolmentKeyAsync();
        var (_, codes, response) = await client.EnrolAsync(site);
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches("<code class=\"totp-key\">([A-Z2-7]{4} )+[A-Z2-7]{1,4}</code>", page);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-label=\"QR-Code", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.Contains(email, page, StringComparison.Ordinal);
        Assert.Equal(32, key.Length);
        Assert.Equal(10, codes.Distinct().Count());
        // Shown once: the enrolment page is gone, the code page asks instead.
        using var again = await client.GetAsync("/intern/einrichten", Ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var (_, overview) = await client.GetTextAsync("/intern");
        Assert.Contains($"Angemeldet als <strong>{email}</strong>", overview, StringComparison.Ordinal);
        Assert.True(await site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditAction.TwoFactorEnrolled.Code && a.Actor == email, Ct)));
        var mail = await site.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => m.Recipient == email, Ct));
        Assert.Equal(MailKind.StaffAccount, mail.Kind);
        Assert.Equal("Zweiter Faktor für Ihr Konto eingerichtet", mail.Subject);
    }

    [Fact]
    public async Task A_wrong_or_empty_code_at_enrolment_gets_a_German_message_and_enrols_nothing()
    {
        var email = $"bernd-{Guid.NewGuid():N}@kts.example.de";
        await site.CreateStaffAsync(email);
        var client = site.CreatePlainClient();
        using (await client.LogInAsync(email, StaffSession.Password))
        {
        }

        var key = await client.EnrolmentKeyAsync();
        var wrongCode = Totp.Code(key, Totp.StepAt(site.Clock.GetUtcNow()) + 5);
        using var wrong = await client.SubmitFormAsync("/intern/einrichten", new Dictionary<string, string> { ["Code"] = wrongCode });
        using var empty = await client.SubmitFormAsync("/intern/einrichten", new Dictionary<string, string> { ["Code"] = "" });
        var wrongText = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync(Ct));
        var emptyText = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync(Ct));

        Assert.Contains("<title>Fehler: Zweiten Faktor einrichten", wrongText, StringComparison.Ordinal);
        Assert.Contains("Der Code stimmt nicht.", wrongText, StringComparison.Ordinal);
        Assert.Contains("href=\"#Code\"", wrongText, StringComparison.Ordinal);
        Assert.Contains("id=\"Code-error\"", wrongText, StringComparison.Ordinal);
        Assert.Contains("Bitte geben Sie den sechsstelligen Code ein", emptyText, StringComparison.Ordinal);
        Assert.Equal(key, await client.EnrolmentKeyAsync()); // the same key until it is confirmed
        Assert.False(await site.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync(Ct)));
        using var blocked = await client.GetAsync("/intern", Ct);
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
    }

    [Fact]
    public async Task A_code_is_accepted_once_within_its_window_and_a_later_login_needs_a_newer_one()
    {
        var (email, key) = await EnrolledAccountAsync();
        var client = site.CreatePlainClient();

        // The code of the step the enrolment used is spent, even though it is still inside the window.
        var spentStep = Totp.StepAt(site.Clock.GetUtcNow());
        using (await client.LogInAsync(email, StaffSession.Password))
        using (var reused = await client.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = Totp.Code(key, spentStep) }))
        {
            Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
            Assert.Contains(ZweiterFaktorModel.WrongCodeMessage, WebUtility.HtmlDecode(await reused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        // Half a minute later the phone shows the next code, typed with spaces.
        site.Clock.Advance(Totp.Step);
        var fresh = Totp.Code(key, Totp.StepAt(site.Clock.GetUtcNow()));
        using (var accepted = await client.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = $" {fresh[..3]} {fresh[3..]} " }))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.Equal("/intern", accepted.Headers.Location!.ToString());
        }

        // The same code on another PC at the same moment is refused: it was accepted once.
        var other = site.CreatePlainClient();
        using (await other.LogInAsync(email, StaffSession.Password))
        using (var twice = await other.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = fresh }))
        {
            Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        }

        using var blocked = await other.GetAsync("/intern", Ct);
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        // Two steps later the code of the step just before now is still inside the window and newer than the spent one.
        site.Clock.Advance(2 * Totp.Step);
        var previous = Totp.Code(key, Totp.StepAt(site.Clock.GetUtcNow()) - 1);
        using var late = await other.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = previous });
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
    }

    [Fact]
    public async Task A_code_older_than_the_window_is_refused()
    {
        var (email, key) = await EnrolledAccountAsync();
        site.Clock.Advance(5 * Totp.Step);
        var client = site.CreatePlainClient();
        using (await client.LogInAsync(email, StaffSession.Password))
        {
        }

        using var stale = await client.SubmitFormAsync("/intern/zweiter-faktor",
            new Dictionary<string, string> { ["Code"] = Totp.Code(key, Totp.StepAt(site.Clock.GetUtcNow()) - 2) });

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("<title>Fehler: Code aus der Authenticator-App", WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recovery_code_works_once_is_audited_and_mailed()
    {
        var email = $"carla-{Guid.NewGuid():N}@kts.example.de";
        await site.CreateStaffAsync(email);
        var first = site.CreatePlainClient();
        using (await first.LogInAsync(email, StaffSession.Password))
        {
        }

        var (_, codes, enrolled) = await first.EnrolAsync(site);
        enrolled.Dispose();
        var client = site.CreatePlainClient();

        using (await client.LogInAsync(email, StaffSession.Password))
        using (var used = await client.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = codes[3].ToLowerInvariant() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        }

        var again = site.CreatePlainClient();
        using (await again.LogInAsync(email, StaffSession.Password))
        using (var reused = await again.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = codes[3] }))
        {
            Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        }

        using (var other = await again.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = codes[4].Replace("-", "", StringComparison.Ordinal) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        }

        var audits = await site.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditAction.RecoveryCodeUsed.Code && a.Actor == email)
            .OrderBy(a => a.Id).Select(a => a.Details).ToListAsync(Ct));
        Assert.Equal(["9 Codes übrig", "8 Codes übrig"], audits);
        var subjects = await site.WithDbAsync(db => db.OutboxMessages.Where(m => m.Recipient == email && m.Kind == MailKind.StaffAccount)
            .OrderBy(m => m.Id).Select(m => m.Subject).ToListAsync(Ct));
        Assert.Equal(["Zweiter Faktor für Ihr Konto eingerichtet", "Anmeldung mit einem Wiederherstellungscode", "Anmeldung mit einem Wiederherstellungscode"], subjects);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_so_even_the_right_code_is_refused()
    {
        var (email, key) = await EnrolledAccountAsync();
        var client = site.CreatePlainClient();
        using (await client.LogInAsync(email, StaffSession.Password))
        {
        }

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.SubmitFormAsync("/intern/zweiter-faktor", new Dictionary<string, string> { ["Code"] = i % 2 == 0 ? "000000" : "ABCDE-FGHJK" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        site.Clock.Advance(Totp.Step);
        using var right = await client.SubmitFormAsync("/intern/zweiter-faktor",
            new Dictionary<string, string> { ["Code"] = StaffSession.CurrentCode(site, key) });
        var text = Html.Fold(WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync(Ct)));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(ZweiterFaktorModel.LockedOutMessage, text, StringComparison.Ordinal);
        using var blocked = await client.GetAsync("/intern", Ct);
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.NotNull(await site.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync(Ct)));
    }

    [Fact]
    public async Task The_staff_session_keeps_its_second_factor_when_the_security_stamp_is_checked_again()
    {
        var (email, key) = await EnrolledAccountAsync();
        var client = site.CreatePlainClient();
        using (await client.LogInWithCodeAsync(site, key, email))
        {
        }

        site.Clock.Advance(TimeSpan.FromMinutes(3));
        var (status, text) = await client.GetTextAsync("/intern");
        site.Clock.Advance(TimeSpan.FromMinutes(3));
        var (statusLater, _) = await client.GetTextAsync("/intern/protokoll");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Angemeldet als <strong>{email}</strong>", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, statusLater);
    }

    [Fact]
    public async Task Reset_2fa_ends_open_sessions_makes_the_next_login_enrol_anew_and_is_audited_and_mailed()
    {
        var (email, key) = await EnrolledAccountAsync();
        var session = site.CreatePlainClient();
        using (await session.LogInWithCodeAsync(site, key, email))
        {
        }

        var (exit, output, error) = await RunAsync("staff", "reset-2fa", "--email", email);
        site.Clock.Advance(TimeSpan.FromMinutes(2));
        using var afterReset = await session.GetAsync("/intern", Ct);
        var client = site.CreatePlainClient();
        using var login = await client.LogInAsync(email, StaffSession.Password);
        var newKey = await client.EnrolmentKeyAsync();

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains($"Zweiter Faktor für {email} zurückgesetzt", output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, afterReset.StatusCode);
        Assert.Equal("/intern/einrichten", login.Headers.Location!.ToString());
        Assert.NotEqual(key, newKey);
        var audit = await site.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditAction.TwoFactorReset.Code).OrderBy(a => a.Id).LastAsync(Ct));
        Assert.Equal(AuditLog.CommandLineActor, audit.Actor);
        Assert.DoesNotContain(email, audit.Details ?? "", StringComparison.Ordinal);
        Assert.True(await site.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Recipient == email && m.Subject == "Zweiter Faktor Ihres Kontos zurückgesetzt", Ct)));
    }

    [Theory]
    [InlineData(new[] { "staff", "reset-2fa" }, "Bitte geben Sie die E-Mail-Adresse des Kontos mit --email an")]
    [InlineData(new[] { "staff", "reset-2fa", "--email", "niemand@kts.example.de" }, "Es gibt kein Konto für niemand@kts.example.de. Es wurde nichts geändert.")]
    [InlineData(new[] { "staff", "reset-2fa", "--email", "keine-adresse" }, "„keine-adresse“ ist keine gültige E-Mail-Adresse.")]
    public async Task Reset_2fa_with_bad_input_fails_with_a_German_message(string[] args, string message)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private async Task<(string Email, string Key)> EnrolledAccountAsync()
    {
        var email = $"staff-{Guid.NewGuid():N}@kts.example.de";
        await site.CreateStaffAsync(email);
        var client = site.CreatePlainClient();
        using (await client.LogInAsync(email, StaffSession.Password))
        {
        }

        var (key, codes, response) = await client.EnrolAsync(site);
        response.Dispose();
        Assert.Equal(10, codes.Count);
        return (email, key);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var input = new StringReader("");
        var output = new StringBuilder();
        var error = new StringBuilder();
        await using var outWriter = new StringWriter(output);
        await using var errWriter = new StringWriter(error);
        var exit = await CommandLine.RunAsync(args, site.Services, input, outWriter, errWriter);
        return (exit, output.ToString(), error.ToString());
    }
}
