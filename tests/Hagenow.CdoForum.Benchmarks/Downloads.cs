using Hagenow.CdoForum.Web.Staff;
using System.Diagnostics;
using System.Net;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>Artefacts fetched one after the other (no concurrent load): programme PDF, termin.ics, staff exports.</summary>
internal static class Downloads
{
    public static async Task<DownloadResult> MeasureAsync(HttpClient client, int pid, string name, string path, int warmIterations, string? cookie = null)
    {
        var rssBefore = MemorySampler.Read(pid, "VmRSS:");
        var (status, contentType, bytes, firstMs) = await FetchAsync(client, path, cookie);
        var warm = new List<double>();
        if (status == HttpStatusCode.OK)
        {
            for (var i = 0; i < warmIterations; i++)
            {
                var (s, _, _, ms) = await FetchAsync(client, path, cookie);
                if (s != HttpStatusCode.OK)
                {
                    status = s;
                    break;
                }

                warm.Add(ms);
            }
        }

        var rssAfter = MemorySampler.Read(pid, "VmRSS:");
        var sorted = warm.Order().ToArray();
        return new DownloadResult(
            name, path, (int)status, contentType, bytes, warm.Count, firstMs,
            LoadResult.Percentile(sorted, 0.5), sorted.Length == 0 ? double.NaN : sorted[^1], rssBefore, rssAfter);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, long Bytes, double Ms)> FetchAsync(HttpClient client, string path, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var t0 = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.LongLength, ms);
    }

    /// <summary>Logs in at /intern/anmelden through the real form; returns the Cookie header of the session, or null with the reason.</summary>
    public static async Task<(string? Cookie, string? Reason)> LogInAsync(HttpClient client, string email, string password)
    {
        const string loginUrl = "/intern/anmelden";
        var jar = new Dictionary<string, string>();
        using var page = await client.GetAsync(loginUrl);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            return (null, $"GET {loginUrl} answered {(int)page.StatusCode}");
        }

        VirtualUsers.KeepCookies(page, jar);
        var form = HtmlForm.Find(await page.Content.ReadAsStringAsync(), loginUrl, "__af");
        if (form is null)
        {
            return (null, $"{loginUrl} has no POST form with an __af field");
        }

        var values = form.Values(f => f.Kind == "password" ? password
            : f.Kind == "email" || f.Name.Contains("mail", StringComparison.OrdinalIgnoreCase) || f.Name.Contains("user", StringComparison.OrdinalIgnoreCase) ? email
            : null);
        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(values) };
        request.Headers.Add("Cookie", VirtualUsers.CookieHeader(jar));
        using var response = await client.SendAsync(request);
        VirtualUsers.KeepCookies(response, jar);
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther))
        {
            return (null, $"POST {form.Action} answered {(int)response.StatusCode}, not a redirect");
        }

        // The password alone opens nothing: a new account enrols its authenticator first (the key is on the page).
        const string enrolUrl = "/intern/einrichten";
        using var enrolRequest = new HttpRequestMessage(HttpMethod.Get, enrolUrl);
        enrolRequest.Headers.Add("Cookie", VirtualUsers.CookieHeader(jar));
        using var enrolPage = await client.SendAsync(enrolRequest);
        VirtualUsers.KeepCookies(enrolPage, jar);
        var html = await enrolPage.Content.ReadAsStringAsync();
        var key = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"totp-key\">([A-Z2-7 ]+)</code>");
        var enrolForm = HtmlForm.Find(html, enrolUrl, "__af");
        if (!key.Success || enrolForm is null)
        {
            return (null, $"GET {enrolUrl} answered {(int)enrolPage.StatusCode} without an enrolment form");
        }

        var code = Totp.Code(key.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal), Totp.StepAt(TimeProvider.System.GetUtcNow()));
        using var confirm = new HttpRequestMessage(HttpMethod.Post, enrolForm.Action)
        {
            Content = new FormUrlEncodedContent(enrolForm.Values(f => f.Name == "Code" ? code : null)),
        };
        confirm.Headers.Add("Cookie", VirtualUsers.CookieHeader(jar));
        using var confirmed = await client.SendAsync(confirm);
        VirtualUsers.KeepCookies(confirmed, jar);
        return confirmed.StatusCode == HttpStatusCode.OK && jar.ContainsKey("cdoforum.staff")
            ? (VirtualUsers.CookieHeader(jar), null)
            : (null, $"POST {enrolForm.Action} answered {(int)confirmed.StatusCode} without a staff session");
    }
}
