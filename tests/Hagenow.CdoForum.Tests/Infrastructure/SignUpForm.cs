using System.Net;
using System.Text.RegularExpressions;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// Fills in and sends the site's forms the way a browser does: GET the page (which sets the antiforgery cookie),
/// read the hidden <c>__af</c> field, POST the fields with it. Use a client from <see cref="SiteFactory.CreatePlainClient"/>
/// to see the 303 redirects; the client keeps the cookie, so one token serves many POSTs.
/// </summary>
public static partial class SignUpForm
{
    public const string AntiforgeryField = "__af";

    /// <summary>A complete, valid sign-up; change what the test is about with <c>fields["Email"] = …</c>.</summary>
    public static Dictionary<string, string> Valid(string email = "erika.mustermann@hagenow.de") => new()
    {
        ["FirstName"] = "Erika",
        ["LastName"] = "Mustermann",
        ["Email"] = email,
        ["Organisation"] = "Stadt Hagenow",
        ["JobTitle"] = "Chief Digital Officer",
        ["Question"] = "Wie wird der Experimentierraum finanziert?",
        ["AccessibilityNeeds"] = "",
        ["Consent"] = "ja",
    };

    public static string FormUrl(string slug) => $"/veranstaltungen/{slug}/anmeldung";

    /// <summary>GETs <paramref name="pageUrl"/> and returns the antiforgery token of its (first) form.</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(HttpClient client, string pageUrl)
    {
        using var response = await client.GetAsync(pageUrl, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, $"No {AntiforgeryField} field on {pageUrl} ({(int)response.StatusCode}).");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>POSTs the fields (plus the token, unless <paramref name="token"/> is empty) as a browser form would.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, string? token)
    {
        var all = fields.ToList();
        if (!string.IsNullOrEmpty(token))
        {
            all.Add(new(AntiforgeryField, token));
        }

        using var content = new FormUrlEncodedContent(all);
        return await client.PostAsync(url, content, TestContext.Current.CancellationToken);
    }

    /// <summary>GETs <paramref name="pageUrl"/> for the token, then POSTs the fields to <paramref name="postUrl"/> (default: the same page).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string pageUrl, IEnumerable<KeyValuePair<string, string>> fields, string? postUrl = null)
    {
        var token = await GetAntiforgeryTokenAsync(client, pageUrl);
        return await PostAsync(client, postUrl ?? pageUrl, fields, token);
    }

    /// <summary>Signs up for the event; returns the response (303 to the participant's page when stored).</summary>
    public static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string slug, IEnumerable<KeyValuePair<string, string>> fields) =>
        SubmitAsync(client, FormUrl(slug), fields);

    /// <summary>Signs up and returns the participant's page address (/anmeldung/{token}); fails the test when not stored.</summary>
    public static async Task<string> SignUpAndFollowAsync(HttpClient client, string slug, string email)
    {
        using var response = await SignUpAsync(client, slug, Valid(email));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<string> TextAsync(this HttpResponseMessage response) =>
        Html.Fold(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));

    [GeneratedRegex("""<input[^>]*name="__af"[^>]*value="([^"]+)"[^>]*>""", RegexOptions.CultureInvariant)]
    private static partial Regex AntiforgeryInput();
}
