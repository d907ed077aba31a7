using System.Net;

namespace Hagenow.CdoForum.Tests.Infrastructure;

public static class Html
{
    /// <summary>GETs a page and returns its text with entities decoded and white space folded, for "the page says X" checks.</summary>
    public static async Task<(HttpStatusCode Status, string Text)> GetTextAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, Fold(WebUtility.HtmlDecode(body)));
    }

    public static string Fold(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
