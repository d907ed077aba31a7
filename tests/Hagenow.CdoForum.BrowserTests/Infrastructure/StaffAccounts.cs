using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hagenow.CdoForum.BrowserTests.Infrastructure;

/// <summary>
/// Staff accounts for browser tests. A TOTP code is accepted once per account and step, and the tests log in many times
/// within one 30-second step: each login therefore uses an account of its own, enrolled with a known key.
/// </summary>
public static class StaffAccounts
{
    public const string Password = "Leuchtturm Gießkanne Fahrradklingel";

    /// <summary>A new account; enrolled: with an authenticator key already confirmed (returned), else null.</summary>
    public static async Task<(string Email, string? Key)> CreateAsync(BrowserSite site, bool enrolled = true)
    {
        var email = $"team-{Guid.NewGuid():N}"[..17] + "@kts.example.de";
        await using var scope = site.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        if (!enrolled)
        {
            return (email, null);
        }

        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (email, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    /// <summary>What the authenticator app shows now, by the site's clock.</summary>
    public static string CodeNow(BrowserSite site, string key) =>
        Totp.Code(key, Totp.StepAt(site.Services.GetRequiredService<TimeProvider>().GetUtcNow()));

    /// <summary>
    /// Logs in through the login form and the code page, as a person does with the mouse, with a new enrolled account of
    /// its own (a code is accepted once). Returns the account's address.
    /// </summary>
    public static async Task<string> LogInAsync(BrowserSite site, BrowserSession session)
    {
        var (email, key) = await CreateAsync(site);
        await LogInAsync(site, session, email, key!);
        return email;
    }

    /// <summary>
    /// Logs in an enrolled account through both forms. When /intern is not reached, the failure says what the browser
    /// sent and what came back for each POST (or that no answer came), so a failure on a loaded CI machine can be told
    /// apart: a refused code, a redirect elsewhere, or a request that the site did not answer in time.
    /// </summary>
    public static async Task LogInAsync(BrowserSite site, BrowserSession session, string email, string key)
    {
        var page = session.Page;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var seen = new List<string>();
        void Note(string what)
        {
            lock (seen)
            {
                seen.Add($"{elapsed.Elapsed.TotalSeconds:0.0} s {what}");
            }
        }

        void Sent(object? sender, IRequest request)
        {
            if (request.Method == "POST")
            {
                Note($"sent POST {new Uri(request.Url).AbsolutePath}");
            }
        }

        void Answered(object? sender, IResponse response)
        {
            if (response.Request.Method == "POST")
            {
                Note($"answer {response.Status} {response.Headers.GetValueOrDefault("location")}");
            }
        }

        void Failed(object? sender, IRequest request) => Note($"failed {request.Method} {new Uri(request.Url).AbsolutePath}: {request.Failure}");
        page.Request += Sent;
        page.Response += Answered;
        page.RequestFailed += Failed;
        var step = "open the login page";
        try
        {
            await session.GotoAsync("/intern/anmelden");
            step = "send the password";
            await page.GetByLabel("E-Mail-Adresse", new() { Exact = true }).FillAsync(email);
            await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
            // Until the new page's URL is committed, not its "load" event: under load that event was sometimes not seen
            // although the page had loaded (the wait timed out after 30 s on a complete code page, with "NetworkIdle" in
            // Playwright's log). The next steps wait for the elements they need anyway.
            step = "reach the code page";
            await page.WaitForURLAsync(site.Url("/intern/zweiter-faktor"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
            step = "send the code";
            await page.GetByLabel("Sechsstelliger Code", new() { Exact = true }).FillAsync(CodeNow(site, key));
            await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
            step = "reach /intern";
            await page.WaitForURLAsync(site.Url("/intern"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Abmelden", Exact = true })).ToBeVisibleAsync();
        }
        catch (PlaywrightException ex)
        {
            string log;
            lock (seen)
            {
                log = seen.Count == 0 ? "none" : string.Join("; ", seen);
            }

            Assert.Fail($"Login did not reach /intern (step: {step}); at {page.Url} after {elapsed.Elapsed.TotalSeconds:0} s. Requests: {log}. Waiting for: {ex.Message}. Page: {await page.Locator("main").InnerTextAsync()}");
        }
        finally
        {
            page.Request -= Sent;
            page.Response -= Answered;
            page.RequestFailed -= Failed;
        }
    }
}
