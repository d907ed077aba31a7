using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Pages.Intern;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// What an outside probe of the site found (issue 19), one test per finding. One site for the class; each test brings
/// its own event, addresses and staff account.
/// </summary>
public sealed class SecurityProbeTests(SecurityProbeTests.Site site) : IClassFixture<SecurityProbeTests.Site>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Site : SharedSite
    {
        public CountingHasher Hasher { get; } = new();

        public Site()
        {
            With("RateLimits:SignUpsPerMinutePerClient", "1000");
            With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<IdentityUser>>(Hasher));
        }
    }

    /// <summary>Counts password verifications: every failed login must do the same work.</summary>
    public sealed class CountingHasher : IPasswordHasher<IdentityUser>
    {
        private readonly PasswordHasher<IdentityUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(IdentityUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    // 1. Logout ends every session; sessions have an absolute lifetime.

    [Fact]
    public async Task A_cookie_copied_before_logout_opens_nothing_afterwards()
    {
        var email = $"{Unique("abmelden")}@kts.example.de";
        var (client, cookies) = await LoggedInAsync(email);
        var copied = cookies.Container.GetCookieHeader(new Uri("http://localhost/intern"));
        using var thief = site.CreateDefaultClient();
        using (var before = await GetWithCookieAsync(thief, "/intern", copied))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var logout = await client.SubmitFormAsync("/intern/abmelden"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        }

        using var after = await GetWithCookieAsync(thief, "/intern", copied);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/intern/anmelden", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_active_staff_session_still_ends_ten_hours_after_the_login()
    {
        var email = $"{Unique("absolut")}@kts.example.de";
        var (client, _) = await LoggedInAsync(email);
        for (var hour = 1; hour <= 9; hour++)
        {
            site.Clock.Advance(TimeSpan.FromHours(1));
            using var busy = await client.GetAsync("/intern", Ct);
            Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
        }

        site.Clock.Advance(TimeSpan.FromMinutes(90));
        using var late = await client.GetAsync("/intern", Ct);

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.StartsWith("http://localhost/intern/anmelden", late.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    // 4. No mail cannon: per-inbox limit, invisible characters, IDNA, URLs in names, no name in To.

    [Fact]
    public async Task Sign_up_and_cancel_in_a_loop_send_at_most_five_mails_an_hour_to_one_inbox_whatever_the_tag()
    {
        var slug = Unique("kanone");
        await site.ImportAsync(TestEvents.Future(slug));
        var inbox = Unique("opfer");
        var client = site.CreatePlainClient();
        string? lastLocation = null;
        for (var i = 0; i < 4; i++)
        {
            var address = $"{inbox}+{i}@example.org";
            using var signUp = await SignUpForm.SignUpAsync(client, slug, SignUpForm.Valid(address));
            Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);
            var page = signUp.Headers.Location!.OriginalString.Split('?')[0];
            using var cancel = await client.SubmitFormAsync($"{page}/stornieren");
            Assert.Equal(HttpStatusCode.SeeOther, cancel.StatusCode);
            lastLocation = cancel.Headers.Location!.OriginalString;
        }

        var key = $"{inbox}@example.org";
        var mails = await site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.RecipientKey == key, Ct));
        var registrations = await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.Event.Slug == slug, Ct));
        Assert.Equal(5, mails);
        Assert.Equal(4, registrations);
        Assert.EndsWith("?ohne-mail=true", lastLocation, StringComparison.Ordinal);
        var (_, text) = await client.GetTextAsync(lastLocation!);
        Assert.Contains("vorerst senden wir deshalb keine weitere", Html.Fold(WebUtility.HtmlDecode(text)), StringComparison.Ordinal);

        site.Clock.Advance(TimeSpan.FromMinutes(61));
        using var later = await SignUpForm.SignUpAsync(client, slug, SignUpForm.Valid($"{inbox}+spaeter@example.org"));
        Assert.DoesNotContain("ohne-mail", later.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    public static TheoryData<string> RefusedAddresses() =>
    [
        "x@[127.0.0.1]",
        "a%b@relay.example",
        "erika@hagenow\u200B.de",
        "erika\u200D@hagenow.de",
        "erika@hagen_ow.de",
        "erika@-hagenow.de",
    ];

    [Theory]
    [MemberData(nameof(RefusedAddresses))]
    public async Task Addresses_that_crashed_or_alias_an_inbox_are_refused_with_the_German_message(string address)
    {
        var slug = Unique("adresse");
        await site.ImportAsync(TestEvents.Future(slug));

        using var response = await SignUpForm.SignUpAsync(site.CreatePlainClient(), slug, SignUpForm.Valid(address));
        var text = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein.", text, StringComparison.Ordinal);
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.Event.Slug == slug, Ct)));
    }

    [Theory]
    [InlineData("FirstName", "Erika\u202E", "Der Vorname enthält unsichtbare Zeichen")]
    [InlineData("Organisation", "Stadt\u200BHagenow", "Die Organisation enthält unsichtbare Zeichen")]
    [InlineData("Question", "Frage\u2066", "Ihre Frage oder Ihr Themenwunsch enthält unsichtbare Zeichen")]
    [InlineData("FirstName", "Bitte Konto bestätigen: https://kts-login.example/x", "Der Vorname darf keine Internet- oder E-Mail-Adresse enthalten.")]
    [InlineData("LastName", "Mustermann www.kts-login.example", "Der Nachname darf keine Internet- oder E-Mail-Adresse enthalten.")]
    [InlineData("LastName", "kts-login.example", "Der Nachname darf keine Internet- oder E-Mail-Adresse enthalten.")]
    public async Task Invisible_characters_and_addresses_in_names_are_refused(string field, string value, string message)
    {
        var slug = Unique("zeichen");
        await site.ImportAsync(TestEvents.Future(slug));
        var fields = SignUpForm.Valid($"{Unique("z")}@hagenow.de");
        fields[field] = value;

        using var response = await SignUpForm.SignUpAsync(site.CreatePlainClient(), slug, fields);
        var text = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.Event.Slug == slug, Ct)));
    }

    [Fact]
    public async Task Names_with_a_title_still_pass_and_the_mail_names_nobody_in_its_To_line()
    {
        var slug = Unique("an");
        await site.ImportAsync(TestEvents.Future(slug));
        var fields = SignUpForm.Valid($"{Unique("an")}@hagenow.de");
        fields["FirstName"] = "Dr. Erika";

        using var response = await SignUpForm.SignUpAsync(site.CreatePlainClient(), slug, fields);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var row = await site.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.Event.Slug == slug), Ct));
        var to = Assert.Single((await site.MessageOfAsync(row)).To.Mailboxes);
        Assert.Equal("", to.Name ?? "");
        Assert.Equal(fields["Email"], to.Address);
    }

    // 5. Staff login: growing delay per submitted address instead of a hard lock, the same work for every failure.

    [Fact]
    public async Task Five_wrong_passwords_bring_a_short_wait_not_a_lock_and_the_right_password_works_after_it()
    {
        var email = $"{Unique("warten")}@kts.example.de";
        await site.CreateStaffAsync(email);
        var client = site.CreatePlainClient();
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            using var wrong = await client.LogInAsync(email, $"Falsches Passwort Nummer {i}");
            Assert.Contains(AnmeldenModel.FailureMessage, await wrong.TextAsync(), StringComparison.Ordinal);
        }

        using (var tooSoon = await client.LogInAsync(email, StaffSession.Password))
        {
            Assert.Equal(HttpStatusCode.OK, tooSoon.StatusCode);
            Assert.Contains(AnmeldenModel.FailureMessage, await tooSoon.TextAsync(), StringComparison.Ordinal);
        }

        Assert.Null(await site.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync(Ct)));
        site.Clock.Advance(LoginThrottle.FirstDelay + TimeSpan.FromSeconds(1));
        using var right = await client.LogInAsync(email, StaffSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }

    [Fact]
    public void The_delay_grows_and_stays_bounded()
    {
        Assert.Equal(TimeSpan.Zero, LoginThrottle.DelayAfter(LoginThrottle.FreeFailures - 1));
        Assert.Equal(TimeSpan.FromSeconds(30), LoginThrottle.DelayAfter(LoginThrottle.FreeFailures));
        Assert.Equal(TimeSpan.FromMinutes(1), LoginThrottle.DelayAfter(LoginThrottle.FreeFailures + 1));
        Assert.Equal(TimeSpan.FromMinutes(8), LoginThrottle.DelayAfter(LoginThrottle.FreeFailures + 4));
        Assert.Equal(TimeSpan.FromMinutes(15), LoginThrottle.DelayAfter(LoginThrottle.FreeFailures + 5));
        Assert.Equal(TimeSpan.FromMinutes(15), LoginThrottle.DelayAfter(1000));
    }

    [Fact]
    public async Task Every_kind_of_failed_login_checks_exactly_one_password_hash()
    {
        var email = $"{Unique("gleich")}@kts.example.de";
        await site.CreateStaffAsync(email);
        var lockedEmail = $"{Unique("gesperrt")}@kts.example.de";
        await site.CreateStaffAsync(lockedEmail);
        await using (var scope = site.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var locked = await users.FindByEmailAsync(lockedEmail);
            // Identity compares lockouts with the real clock, not the site's: a date far ahead is locked for both.
            await users.SetLockoutEndDateAsync(locked!, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        var waitingEmail = $"{Unique("wartend")}@example.de";
        var client = site.CreatePlainClient();
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            using var _ = await client.LogInAsync(waitingEmail, "Falsches Passwort");
        }

        var failures = new (string Email, string Password)[]
        {
            (email, "Falsches Passwort für Tests"),
            ($"{Unique("niemand")}@example.de", "Falsches Passwort für Tests"),
            (lockedEmail, StaffSession.Password),
            (waitingEmail, "Falsches Passwort"),
        };
        foreach (var (address, password) in failures)
        {
            var token = await SignUpForm.GetAntiforgeryTokenAsync(client, "/intern/anmelden");
            var before = site.Hasher.Verifications;
            using var response = await SignUpForm.PostAsync(client, "/intern/anmelden",
                new Dictionary<string, string> { ["Input.Email"] = address, ["Input.Password"] = password }, token);
            var after = site.Hasher.Verifications;

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{address}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.Contains(AnmeldenModel.FailureMessage, await response.TextAsync(), StringComparison.Ordinal);
            Assert.True(after - before == 1, $"{address}: {after - before} hash checks");
        }
    }

    // 6. Methods other than GET, HEAD and POST.

    [Theory]
    [InlineData("TRACE", "/")]
    [InlineData("TRACE", "/veranstaltungen/cdo-forum-2026-03-11")]
    [InlineData("PUT", "/intern/anmelden")]
    [InlineData("DELETE", "/anmeldung/abc")]
    [InlineData("PROPFIND", "/")]
    public async Task Other_methods_get_405_with_an_Allow_header(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        using var response = await site.CreatePlainClient().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD, POST", string.Join(", ", response.Content.Headers.Allow));
    }

    // 7. File modes.

    [Fact]
    public async Task Secrets_and_mails_are_readable_by_the_site_user_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            return;
        }

        var slug = Unique("modus");
        await site.ImportAsync(TestEvents.Future(slug));
        await SignUpForm.SignUpAndFollowAsync(site.CreatePlainClient(), slug, $"{Unique("modus")}@hagenow.de");
        await site.SendDueMailAsync();

        var keys = Path.Combine(site.Folder, "keys");
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(keys));
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(site.MailFolder));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(keys, "registration-token.key")));
        var mails = Directory.GetFiles(site.MailFolder, "*.eml");
        Assert.NotEmpty(mails);
        foreach (var mail in mails)
        {
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(mail));
        }
    }

    // 8. What the site tells strangers.

    [Fact]
    public async Task Healthz_says_status_words_only_and_Kestrel_sends_no_Server_header()
    {
        using var response = await site.CreatePlainClient().GetAsync("/healthz", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("database: Healthy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("erreichbar", text, StringComparison.Ordinal);
        Assert.False(site.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader);
    }

    // 9. CSV.

    [Theory]
    [InlineData("Zeile eins\n=HYPERLINK(\"http://x\")", "\"Zeile eins\n'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("a\r\n+1\r\n-2\n@SUM(A1)", "\"a\r\n'+1\r\n'-2\n'@SUM(A1)\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("Stadt, Land", "\"Stadt, Land\"")]
    [InlineData("Stadt\tLand", "\"Stadt\tLand\"")]
    [InlineData("Hagenow - Mitte", "Hagenow - Mitte")]
    public void Csv_cells_are_safe_for_any_separator_and_every_line(string value, string cell) =>
        Assert.Equal(cell, Csv.Cell(value));

    private async Task<(HttpClient Client, CookieContainerHandler Cookies)> LoggedInAsync(string email)
    {
        await site.CreateStaffAsync(email);
        var cookies = new CookieContainerHandler();
        var client = site.CreateDefaultClient(cookies);
        using (var login = await client.LogInAsync(email, StaffSession.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        var enrolment = await client.EnrolAsync(site);
        enrolment.Response.Dispose();
        return (client, cookies);
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string url, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request, Ct);
    }
}
