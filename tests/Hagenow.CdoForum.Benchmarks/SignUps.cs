using System.Net;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>
/// Virtual users who sign up through the real form. Each user GETs the form once (its own antiforgery cookie and
/// token, fields read from the HTML), then POSTs it again and again with a new e-mail address each time. A sign-up
/// counts as accepted when the site answers 303 to the participant's own page (/anmeldung/{token}).
/// </summary>
internal sealed class SignUps
{
    private readonly HttpClient _client;
    private readonly string _runId;
    private readonly User[] _users;
    private readonly string _failureLog;
    private int _sequence;
    private int _accepted;
    private int _loggedFailures;

    private SignUps(HttpClient client, string runId, User[] users, string failureLog)
    {
        _client = client;
        _runId = runId;
        _users = users;
        _failureLog = failureLog;
    }

    public int Accepted => Volatile.Read(ref _accepted);

    public int Sent => Volatile.Read(ref _sequence);

    public VirtualUsers.StatusCounts Statuses { get; } = new();

    /// <summary>The e-mail addresses of this run start with this (for counting what was stored).</summary>
    public string EmailPrefix => $"bench-{_runId}-";

    public string FormAction => _users[0].Form.Action;

    public IReadOnlyList<string> FieldNames => [.. _users[0].Form.Fields.Select(f => $"{f.Name} ({f.Kind}{(f.Required ? ", required" : "")})")];

    /// <summary>Null (with the reason) when the site has no sign-up form for the event yet.</summary>
    public static async Task<(SignUps? SignUps, string? Reason)> PrepareAsync(HttpClient client, string slug, int users, string runId, string failureLog)
    {
        var formUrl = $"/veranstaltungen/{slug}/anmeldung";
        var prepared = new User[users];
        for (var i = 0; i < users; i++)
        {
            using var response = await client.GetAsync(formUrl);
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"GET {formUrl} answered {(int)response.StatusCode}");
            }

            var jar = new Dictionary<string, string>();
            VirtualUsers.KeepCookies(response, jar);
            var form = HtmlForm.Find(html, formUrl, "__af");
            if (form is null)
            {
                return (null, $"GET {formUrl} has no POST form with an __af field");
            }

            prepared[i] = new User(VirtualUsers.CookieHeader(jar), form);
        }

        return (new SignUps(client, runId, prepared, failureLog), null);
    }

    public Operation Operation => async (worker, cancellationToken) =>
    {
        var user = _users[worker % _users.Length];
        var n = Interlocked.Increment(ref _sequence);
        var values = user.Form.Values(f => Fill(f, n));
        using var request = new HttpRequestMessage(HttpMethod.Post, user.Form.Action) { Content = new FormUrlEncodedContent(values) };
        request.Headers.Add("Cookie", user.Cookie);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Statuses.Add(response.StatusCode);
        var accepted = response.StatusCode is HttpStatusCode.SeeOther or HttpStatusCode.Found
            && response.Headers.Location?.OriginalString.Contains("/anmeldung/", StringComparison.Ordinal) == true;
        if (accepted)
        {
            Interlocked.Increment(ref _accepted);
        }
        else if (Interlocked.Increment(ref _loggedFailures) <= 3)
        {
            await File.AppendAllTextAsync(_failureLog, $"--- POST {user.Form.Action} → {(int)response.StatusCode}\n{body}\n", cancellationToken);
        }

        return accepted;
    };

    /// <summary>
    /// For an outside load generator (wrk): per prepared virtual user its Cookie header and the urlencoded form body
    /// split around the e-mail value, which the generator fills with a new address per request.
    /// </summary>
    public IReadOnlyList<(string Cookie, string BodyBefore, string BodyAfter)> BodyTemplates()
    {
        const string Marker = "EMAILPLACEHOLDER";
        return [.. _users.Select(user =>
        {
            var body = string.Join('&', user.Form.Values(f => IsEmail(f) ? Marker : Fill(f, 0))
                .Select(v => $"{Uri.EscapeDataString(v.Key)}={Uri.EscapeDataString(v.Value)}"));
            var at = body.IndexOf(Marker, StringComparison.Ordinal);
            return (user.Cookie, body[..at], body[(at + Marker.Length)..]);
        })];
    }

    private static bool IsEmail(HtmlForm.Field field) =>
        field.Kind == "email" || field.Name.Contains("mail", StringComparison.OrdinalIgnoreCase);

    /// <summary>A plausible value for a visible field, chosen by its type and name.</summary>
    private string? Fill(HtmlForm.Field field, int n)
    {
        var name = field.Name.ToLowerInvariant();
        if (IsEmail(field))
        {
            return $"{EmailPrefix}{n}@example.org";
        }

        if (name.Contains("vorname", StringComparison.Ordinal) || name.Contains("first", StringComparison.Ordinal))
        {
            return "Erika";
        }

        if (name.Contains("nachname", StringComparison.Ordinal) || name.Contains("last", StringComparison.Ordinal))
        {
            return $"Mustermann-Jürgensen {n}";
        }

        if (name.Contains("organ", StringComparison.Ordinal) || name.Contains("kommune", StringComparison.Ordinal) || name.Contains("institution", StringComparison.Ordinal))
        {
            return "Stadtverwaltung Hagenow, Amt für Digitalisierung";
        }

        if (name.Contains("job", StringComparison.Ordinal) || name.Contains("funktion", StringComparison.Ordinal) || name.Contains("position", StringComparison.Ordinal))
        {
            return "Sachbearbeiterin Smart City";
        }

        return field.Kind switch
        {
            "tel" => "03883 1234",
            "number" => "1",
            "url" => "https://example.org/",
            "date" => "2026-05-01",
            _ => field.Required ? "Benchmark" : null,
        };
    }

    private sealed record User(string Cookie, HtmlForm Form);
}
