using System.Net;
using System.Text.RegularExpressions;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Staff accounts, logging in through the real login form, and posting forms with their antiforgery token.</summary>
public static partial class StaffSession
{
    public const string Email = "team@kts.example.de";
    public const string Password = "Leuchtturm Gießkanne Fahrradklingel";

    public static async Task CreateStaffAsync(this SiteFactory site, string email = Email, string password = Password)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var result = await users.CreateAsync(new IdentityUser { UserName = email, Email = email, EmailConfirmed = true }, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>A client (no automatic redirects) logged in as a new staff account: password, then the enrolment of the second factor.</summary>
    public static async Task<HttpClient> CreateStaffClientAsync(this SiteFactory site, string email = Email)
    {
        await site.CreateStaffAsync(email);
        var client = site.CreatePlainClient();
        using var response = await client.LogInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/intern/einrichten", response.Headers.Location!.ToString());
        var enrolment = await client.EnrolAsync(site);
        Assert.Equal(10, enrolment.RecoveryCodes.Count);
        return client;
    }

    /// <summary>On the enrolment page (after the password): reads the key, answers with the current code.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes, HttpResponseMessage Response)> EnrolAsync(this HttpClient client,
        SiteFactory site)
    {
        var key = await client.EnrolmentKeyAsync();
        var response = await client.SubmitFormAsync("/intern/einrichten", new Dictionary<string, string> { ["Code"] = CurrentCode(site, key) });
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var codes = RecoveryCodePattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        return (key, codes, response);
    }

    public static async Task<string> EnrolmentKeyAsync(this HttpClient client)
    {
        using var page = await client.GetAsync("/intern/einrichten", TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var key = KeyPattern().Match(html);
        Assert.True(key.Success, $"No key on the enrolment page ({(int)page.StatusCode}).");
        return key.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>What the authenticator app shows at the site's (fake) time.</summary>
    public static string CurrentCode(SiteFactory site, string key) => Totp.Code(key, Totp.StepAt(site.Clock.GetUtcNow()));

    /// <summary>A later login of an enrolled account: password, then a fresh code (the clock moves on one step so the code is new).</summary>
    public static async Task<HttpResponseMessage> LogInWithCodeAsync(this HttpClient client, SiteFactory site, string key, string email = Email,
        string password = Password, string? returnUrl = null)
    {
        var query = returnUrl is null ? "" : $"?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        using var first = await client.SubmitFormAsync($"/intern/anmelden{query}",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/intern/zweiter-faktor", first.Headers.Location!.ToString(), StringComparison.Ordinal);
        site.Clock.Advance(Totp.Step);
        return await client.SubmitFormAsync(first.Headers.Location!.ToString(), new Dictionary<string, string> { ["Code"] = CurrentCode(site, key) });
    }

    public static Task<HttpResponseMessage> LogInAsync(this HttpClient client, string email, string password) =>
        client.SubmitFormAsync("/intern/anmelden", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>
    /// GETs the page, takes the antiforgery token from its form and POSTs the fields back to the same address.
    /// <paramref name="tokenFrom"/> takes the token from another page, to POST where the page offers no form.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string url, IDictionary<string, string>? fields = null,
        string? tokenFrom = null)
    {
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, tokenFrom ?? url);
        return await SignUpForm.PostAsync(client, url, fields ?? new Dictionary<string, string>(), token);
    }

    [GeneratedRegex("<code class=\"totp-key\">([A-Z2-7 ]+)</code>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")]
    private static partial Regex RecoveryCodePattern();
}
