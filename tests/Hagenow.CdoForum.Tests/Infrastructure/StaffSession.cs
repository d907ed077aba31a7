using System.Net;
using Hagenow.CdoForum.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Staff accounts, logging in through the real login form, and posting forms with their antiforgery token.</summary>
public static class StaffSession
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

    /// <summary>A client (no automatic redirects) logged in as a new staff account.</summary>
    public static async Task<HttpClient> CreateStaffClientAsync(this SiteFactory site)
    {
        await site.CreateStaffAsync();
        var client = site.CreatePlainClient();
        using var response = await client.LogInAsync(Email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
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
}
