using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Audit;
using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// One site for the class: each test logs in with staff accounts of its own and looks only at the audit entries written
/// since it started (the tests of a class run one after the other).
/// </summary>
[Trait("Engines", "Both")]
public sealed class StaffLoginTests(StaffLoginTests.Site site) : IClassFixture<StaffLoginTests.Site>
{
    private readonly Site _site = site;

    /// <summary>Every test here logs in from the same test client, several times; the limit itself is tested in HostsAndProxiesTests.</summary>
    public sealed class Site : SharedSite
    {
        public Site() => With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
    }

    public static TheoryData<string> StaffUrls() =>
    [
        "/intern",
        "/intern/",
        "/intern/protokoll",
        "/intern/mails",
        "/intern/mails/1/erneut-senden",
        "/intern/abmelden",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/anmeldungen/1",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/anmeldungen/1/loeschen",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/export.csv",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/export.xlsx",
        $"/intern/veranstaltungen/{TestEvents.SeedSlug}/export.pdf",
        "/INTERN/VERANSTALTUNGEN/" + TestEvents.SeedSlug + "/EXPORT.CSV",
    ];

    [Theory]
    [MemberData(nameof(StaffUrls))]
    public async Task Anonymous_requests_to_the_staff_area_go_to_the_login_page_and_show_no_data(string url)
    {
        var seed = await _site.WithDbAsync(db => db.Events.SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));
        var email = $"geheim.{Guid.NewGuid():N}@example.org";
        await _site.AddRegistrationAsync(seed.Id, r => (r.FirstName, r.LastName, r.Email) = ("Geheime", "Teilnehmerin", email));
        var client = _site.CreatePlainClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/intern/anmelden?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Teilnehmerin", body, StringComparison.Ordinal);
        Assert.DoesNotContain(email, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_POST_to_an_action_changes_nothing()
    {
        var seed = await _site.WithDbAsync(db => db.Events.SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));
        var registration = await _site.AddRegistrationAsync(seed.Id);
        var client = _site.CreatePlainClient();

        using var content = new FormUrlEncodedContent([]);
        using var response = await client.PostAsync($"/intern/veranstaltungen/{TestEvents.SeedSlug}/anmeldungen/{registration.Id}/loeschen", content,
            TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.Registrations.AnyAsync(r => r.Id == registration.Id, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task The_login_page_is_German_and_open_to_everyone()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/intern/anmelden");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Anmeldung für Mitarbeitende", text, StringComparison.Ordinal);
        Assert.Contains("E-Mail-Adresse", text, StringComparison.Ordinal);
        Assert.Contains("Passwort", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Right_password_leads_to_the_second_factor_and_only_then_to_a_strict_HttpOnly_staff_cookie_and_the_audit_log()
    {
        var email = NewEmail();
        await _site.CreateStaffAsync(email);
        var since = await LastAuditIdAsync();
        var client = _site.CreatePlainClient();

        using var response = await client.LogInAsync(email, StaffSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/intern/einrichten", response.Headers.Location!.ToString());
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.DoesNotContain(cookies, c => c.StartsWith("cdoforum.staff=", StringComparison.Ordinal));
        var partial = Assert.Single(cookies, c => c.StartsWith("cdoforum.2fa=", StringComparison.Ordinal));
        Assert.Contains("httponly", partial, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", partial, StringComparison.OrdinalIgnoreCase);
        Assert.False(await _site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Id > since && a.Action == AuditAction.Login.Code, TestContext.Current.CancellationToken)));

        var (_, _, enrolled) = await client.EnrolAsync(_site);
        using (enrolled)
        {
            var cookie = Assert.Single(enrolled.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cdoforum.staff=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase); // a session cookie; the ticket itself expires after 8 h idle
        }

        var (status, text) = await client.GetTextAsync("/intern");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Angemeldet als <strong>{email}</strong>", text, StringComparison.Ordinal);
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Id > since && a.Action == AuditAction.Login.Code, TestContext.Current.CancellationToken));
        Assert.Equal(email, audit.Actor);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_German_message()
    {
        var email = NewEmail();
        await _site.CreateStaffAsync(email);
        var client = _site.CreatePlainClient();

        using var wrongPassword = await client.LogInAsync(email, "Falsches Passwort für Tests");
        using var unknownAccount = await client.LogInAsync("niemand@example.de", "Falsches Passwort für Tests");
        var wrongText = Html.Fold(WebUtility.HtmlDecode(await wrongPassword.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        var unknownText = Html.Fold(WebUtility.HtmlDecode(await unknownAccount.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Contains(Web.Pages.Intern.AnmeldenModel.FailureMessage, wrongText, StringComparison.Ordinal);
        Assert.Contains(Web.Pages.Intern.AnmeldenModel.FailureMessage, unknownText, StringComparison.Ordinal);
        Assert.Contains("<title>Fehler: Anmeldung für Mitarbeitende", wrongText, StringComparison.Ordinal);
        Assert.False(wrongPassword.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cdoforum.staff=", StringComparison.Ordinal)));
        var (_, text) = await client.GetTextAsync("/intern");
        Assert.DoesNotContain("Angemeldet als", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_fields_get_German_messages_next_to_the_fields()
    {
        var client = _site.CreatePlainClient();

        using var response = await client.SubmitFormAsync("/intern/anmelden", new Dictionary<string, string> { ["Input.Email"] = "", ["Input.Password"] = "" });
        var text = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Bitte geben Sie Ihre E-Mail-Adresse ein.", text, StringComparison.Ordinal);
        Assert.Contains("Bitte geben Sie Ihr Passwort ein.", text, StringComparison.Ordinal);
        Assert.Contains("href=\"#Input_Email\"", text, StringComparison.Ordinal);
        Assert.Contains("id=\"Input_Email-error\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Four_wrong_passwords_then_the_right_one_still_log_in()
    {
        var email = NewEmail();
        await _site.CreateStaffAsync(email);
        var client = _site.CreatePlainClient();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await client.LogInAsync(email, $"Falsches Passwort Nummer {i}");
        }

        using var right = await client.LogInAsync(email, StaffSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }

    [Fact]
    public async Task A_return_address_leads_back_into_the_staff_area_but_never_to_another_site()
    {
        var email = NewEmail();
        var second = NewEmail();
        await _site.CreateStaffAsync(email);
        await _site.CreateStaffAsync(second);
        var inside = _site.CreatePlainClient();
        var outside = _site.CreatePlainClient();

        using var back = await inside.SubmitFormAsync("/intern/anmelden?ReturnUrl=%2Fintern%2Fprotokoll",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = StaffSession.Password });
        using var away = await outside.SubmitFormAsync("/intern/anmelden?ReturnUrl=https%3A%2F%2Fevil.example%2F",
            new Dictionary<string, string> { ["Input.Email"] = second, ["Input.Password"] = StaffSession.Password });

        Assert.Equal("/intern/einrichten?ReturnUrl=%2Fintern%2Fprotokoll", back.Headers.Location!.ToString());
        Assert.Equal("/intern/einrichten", away.Headers.Location!.ToString());
        var key = await inside.EnrolmentKeyAsync();
        using var enrolled = await inside.SubmitFormAsync(back.Headers.Location!.ToString(),
            new Dictionary<string, string> { ["Code"] = StaffSession.CurrentCode(_site, key) });
        Assert.Contains("href=\"/intern/protokoll\"", await enrolled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var laterLogin = await _site.CreatePlainClient().LogInWithCodeAsync(_site, key, email, returnUrl: "https://evil.example/");
        Assert.Equal("/intern", laterLogin.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Logging_out_ends_the_session()
    {
        var email = NewEmail();
        var client = await _site.CreateStaffClientAsync(email);

        using var response = await client.SubmitFormAsync("/intern/abmelden");
        var (_, text) = await client.GetTextAsync(response.Headers.Location!.ToString());
        using var after = await client.GetAsync("/intern", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains("Sie haben sich abgemeldet.", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Logout.Code && a.Actor == email,
            TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Staff_pages_are_not_cached_and_not_indexed()
    {
        var client = await _site.CreateStaffClientAsync(NewEmail());

        using var response = await client.GetAsync("/intern", TestContext.Current.CancellationToken);

        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
    }

    /// <summary>A staff address of this test's own.</summary>
    private static string NewEmail() => $"team-{Guid.NewGuid():N}"[..17] + "@kts.example.de";

    private async Task<long> LastAuditIdAsync() =>
        await _site.WithDbAsync(db => db.AuditEntries.Select(a => (long?)a.Id).MaxAsync(TestContext.Current.CancellationToken)) ?? 0;
}
