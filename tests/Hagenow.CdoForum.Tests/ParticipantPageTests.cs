using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Events;
using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>One site for the class: each test signs up to an event of its own, with addresses of its own.</summary>
public sealed class ParticipantPageTests(ParticipantPageTests.Site site) : IClassFixture<ParticipantPageTests.Site>
{
    private readonly Site _site = site;

    /// <summary>Addresses of this test's own (at most five mails per inbox and hour).</summary>
    private readonly string _tag = $"t{Guid.NewGuid():N}"[..9];

    public sealed class Site : SharedSite
    {
        public Site() => With("RateLimits:SignUpsPerMinutePerClient", "1000");
    }

    private string Slug { get; } = $"cdo-forum-2027-05-12-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task Page_shows_status_event_and_calendar_links_and_is_kept_out_of_search_engines_and_caches()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");

        using var response = await client.GetAsync(page, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var text = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<meta name=\"robots\" content=\"noindex, nofollow\">", html, StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Ihre Anmeldung ist bestätigt.", text, StringComparison.Ordinal);
        Assert.Contains($"Testveranstaltung {Slug}", text, StringComparison.Ordinal);
        Assert.Contains("Mittwoch, 12. Mai 2027", text, StringComparison.Ordinal);
        Assert.Contains("13:00–14:00 Uhr", text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/veranstaltungen/{Slug}\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/veranstaltungen/{Slug}/programm.pdf\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/veranstaltungen/{Slug}/termin.ics\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{page}/stornieren\"", html, StringComparison.Ordinal);
        Assert.Contains("Erika Mustermann", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/anmeldung/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/anmeldung/kurz")]
    [InlineData("/anmeldung/%3Cscript%3E")]
    [InlineData("/anmeldung/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/stornieren")]
    public async Task Unknown_token_gives_the_404_page_and_reveals_nothing(string url)
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        await SignUpForm.SignUpAndFollowAsync(_site.CreatePlainClient(), Slug, $"erika@{_tag}.hagenow.de");

        var (status, text) = await _site.CreateClient().GetTextAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Seite nicht gefunden", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Erika", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Testveranstaltung", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Participant_corrects_name_organisation_and_function()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");
        var form = await client.GetStringAsync(page, TestContext.Current.CancellationToken);
        Assert.Contains("value=\"Stadt Hagenow\"", form, StringComparison.Ordinal);

        using var response = await SignUpForm.SubmitAsync(client, page, new Dictionary<string, string>
        {
            ["FirstName"] = " Erika Maria ",
            ["LastName"] = "Musterfrau",
            ["Organisation"] = "Landkreis Ludwigslust-Parchim",
            ["JobTitle"] = "",
            ["Email"] = "angreifer@example.org",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var r = await _site.WithDbAsync(db => db.Registrations.Where(x => x.Event.Slug == Slug).SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("Erika Maria", "Musterfrau", "Landkreis Ludwigslust-Parchim", null, $"erika@{_tag}.hagenow.de"), (r.FirstName, r.LastName, r.Organisation, r.JobTitle, r.Email));
        var (_, text) = await client.GetTextAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Ihre Änderungen sind gespeichert.", text, StringComparison.Ordinal);
        Assert.Contains("Erika Maria Musterfrau", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LastName", "", "Geben Sie Ihren Nachnamen ein.")]
    [InlineData("FirstName", "Erika\r\nX", "Der Vorname darf keine Zeilenumbrüche oder Steuerzeichen enthalten.")]
    [InlineData("Organisation", "", "Geben Sie Ihre Organisation ein (Kommune, Behörde oder Einrichtung).")]
    public async Task Invalid_correction_is_refused_with_the_same_messages_and_changes_nothing(string field, string value, string message)
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");
        var fields = new Dictionary<string, string> { ["FirstName"] = "Eva", ["LastName"] = "Neu", ["Organisation"] = "Amt Neu" };
        fields[field] = value;

        using var response = await SignUpForm.SubmitAsync(client, page, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"<a href=\"#{field}\">{message}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"{field}-error\"", html, StringComparison.Ordinal);
        Assert.All(fields.Where(f => f.Key != field), f => Assert.Contains($"value=\"{f.Value}\"", html, StringComparison.Ordinal));
        var r = await _site.WithDbAsync(db => db.Registrations.Where(x => x.Event.Slug == Slug).SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("Erika", "Mustermann", "Stadt Hagenow"), (r.FirstName, r.LastName, r.Organisation));
    }

    [Fact]
    public async Task Correction_without_antiforgery_token_is_refused()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");

        using var response = await SignUpForm.PostAsync(client, page, new Dictionary<string, string> { ["FirstName"] = "X", ["LastName"] = "Y", ["Organisation"] = "Z" }, token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Erika", await _site.WithDbAsync(db => db.Registrations.Where(x => x.Event.Slug == Slug).Select(r => r.FirstName).SingleAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Waiting_participant_sees_the_position_and_no_access_details()
    {
        var ev = TestEvents.Future(Slug, capacity: 1);
        await _site.ImportAsync(ev);
        await _site.WithDbAsync(async db =>
        {
            var stored = await db.Events.SingleAsync(e => e.Slug == Slug, TestContext.Current.CancellationToken);
            stored.OnlineAccess = "https://meet.example.de/cdo-forum";
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var client = _site.CreatePlainClient();
        var confirmed = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"anna@{_tag}.kommune.de");
        var waiting = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"bernd@{_tag}.kommune.de");

        var (_, waitingText) = await client.GetTextAsync(waiting);
        var (_, confirmedText) = await client.GetTextAsync(confirmed);

        Assert.Contains("Sie stehen auf der Warteliste, auf Platz 1.", waitingText, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example.de", waitingText, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://meet.example.de/cdo-forum\">", confirmedText, StringComparison.Ordinal);
    }
}
