using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Calendar;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

public sealed class CalendarTests : IDisposable
{
    private readonly SiteFactory _site = new(SiteFactory.BeforeSeedEvent);

    public void Dispose() => _site.Dispose();

    private static string Unfold(string ics) => Regex.Replace(ics, "\r\n[ \t]", "");

    [Fact]
    public async Task Public_calendar_file_is_PUBLISH_without_attendee_and_downloads_with_a_file_name()
    {
        using var response = await _site.CreateClient().GetAsync("/veranstaltungen/cdo-forum-2026-03-11/termin.ics", TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var ics = Encoding.UTF8.GetString(bytes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("CDO-Forum-2026-03-11.ics", response.Content.Headers.ContentDisposition.FileName?.Trim('"'));

        Assert.Contains("METHOD:PUBLISH\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("ATTENDEE", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20260311T130000\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("DTEND;TZID=Europe/Berlin:20260311T140000\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("ORGANIZER;CN=KTS:mailto:smartekommunen@iqib.de", Unfold(ics), StringComparison.Ordinal);
        Assert.Contains("URL:http://localhost:5080/veranstaltungen/cdo-forum-2026-03-11", Unfold(ics), StringComparison.Ordinal);
        Assert.DoesNotMatch("(?<!\r)\n", ics);
        Assert.All(ics.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));

        var calendar = Ical.Net.Calendar.Load(ics)!;
        var entry = Assert.Single(calendar.Events);
        Assert.Equal(new DateTime(2026, 3, 11, 12, 0, 0, DateTimeKind.Utc), entry.DtStart!.AsUtc);
        Assert.Equal(new DateTime(2026, 3, 11, 13, 0, 0, DateTimeKind.Utc), entry.DtEnd!.AsUtc);
        Assert.Equal("CDO-Forum: Digitaler Experimentierraum in der Bibliothek Hagenow", entry.Summary);
        Assert.Contains("13:30 Uhr Zeit für Fragen und Diskussion", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commas_semicolons_and_umlauts_are_escaped_folded_and_read_back_unchanged()
    {
        var title = "Größe, Ökonomie; Übergänge – äöüß " + string.Concat(Enumerable.Repeat("Müßiggang ", 12)).Trim();
        await _site.ImportAsync(TestEvents.Future() with { Title = title, Location = "Rathaus Hagenow, Saal 1; Eingang B", Format = "in-person" });

        var ics = await _site.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2027-05-12/termin.ics", TestContext.Current.CancellationToken);

        Assert.All(ics.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
        Assert.Contains(@"LOCATION:Rathaus Hagenow\, Saal 1\; Eingang B", Unfold(ics), StringComparison.Ordinal);
        var entry = Ical.Net.Calendar.Load(ics)!.Events.Single();
        Assert.Equal($"CDO-Forum: {title}", entry.Summary);
        Assert.Equal("Rathaus Hagenow, Saal 1; Eingang B", entry.Location);
    }

    [Fact]
    public async Task Unknown_event_has_no_calendar_file_but_the_German_404_page()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/veranstaltungen/gibt-es-nicht/termin.ics");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Seite nicht gefunden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UID_stays_the_same_across_restarts_and_SEQUENCE_grows_when_the_event_changes()
    {
        var folder = Directory.CreateTempSubdirectory("cdoforum-test-").FullName;
        try
        {
            string first;
            using (var site = new SiteFactory(folder, SiteFactory.BeforeSeedEvent))
            {
                first = await site.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2026-03-11/termin.ics", TestContext.Current.CancellationToken);
            }

            using var restarted = new SiteFactory(folder, SiteFactory.BeforeSeedEvent);
            var again = await restarted.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2026-03-11/termin.ics", TestContext.Current.CancellationToken);
            await restarted.ImportAsync(TestEvents.Seed() with { Title = "Neuer Titel" });
            var changed = await restarted.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2026-03-11/termin.ics", TestContext.Current.CancellationToken);

            var (a, b, c) = (Ical.Net.Calendar.Load(first)!.Events.Single(), Ical.Net.Calendar.Load(again)!.Events.Single(), Ical.Net.Calendar.Load(changed)!.Events.Single());
            Assert.Equal("cdo-forum-2026-03-11@localhost", a.Uid);
            Assert.Equal(a.Uid, b.Uid);
            Assert.Equal(a.Uid, c.Uid);
            Assert.Equal(a.Sequence, b.Sequence);
            Assert.True(c.Sequence > a.Sequence, $"{c.Sequence} > {a.Sequence}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_invite_from_the_per_version_template_is_the_text_Ical_Net_writes_and_follows_a_change_of_the_event()
    {
        var calendar = _site.Services.GetRequiredService<EventCalendar>();
        var ev = await _site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));
        string[] names =
        [
            "Erika Musterfrau",
            "Müller, Hans",
            "Dr. Anna Beispiel; Amt: Digitales",
            "Jürgen O'Brien-Groß",
            "Hans \"Hansi\" Müller",
            "Eva \"Evi\", Amt; Zimmer: 3",
            string.Concat(Enumerable.Repeat("Äöüß ", 20)).Trim(),
            "Zoë 😀 " + new string('x', 60) + "ä😀ü",
        ];
        string[] emails = ["erika.musterfrau@hagenow.de", "o'brien+forum@example.org", new string('a', 64) + "@" + new string('b', 60) + ".example.org"];

        foreach (var method in new[] { CalendarMethod.Request, CalendarMethod.Cancel })
        {
            foreach (var attendee in names.SelectMany(name => emails.Select(email => new CalendarAttendee(email, name))))
            {
                _site.Clock.Advance(TimeSpan.FromSeconds(7));
                var includeAccess = method == CalendarMethod.Request;
                Assert.Equal(calendar.Create(ev, method, attendee, includeAccess), calendar.Invite(ev, method, attendee, includeAccess));
            }
        }

        var changed = await _site.ImportAsync(TestEvents.Seed() with { Title = "Ein neuer Titel" });
        var after = calendar.Invite(changed, CalendarMethod.Request, new CalendarAttendee("erika.musterfrau@hagenow.de", "Erika Musterfrau"), includeOnlineAccess: true);
        Assert.Equal(calendar.Create(changed, CalendarMethod.Request, new CalendarAttendee("erika.musterfrau@hagenow.de", "Erika Musterfrau"), includeOnlineAccess: true), after);
        Assert.Contains("SUMMARY:CDO-Forum: Ein neuer Titel\r\n", after, StringComparison.Ordinal);
        Assert.Equal(ev.Sequence + 1, Ical.Net.Calendar.Load(after)!.Events.Single().Sequence);
    }

    [Fact]
    public async Task A_line_break_in_a_name_cannot_add_a_line_to_the_invite()
    {
        var calendar = _site.Services.GetRequiredService<EventCalendar>();
        var ev = await _site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));

        var ics = calendar.Invite(ev, CalendarMethod.Request, new CalendarAttendee("erika@hagenow.de\r\nX", "Erika\r\nATTENDEE:mailto:fremd@example.org\r\nX-Y:z"), includeOnlineAccess: true);

        var entry = Ical.Net.Calendar.Load(ics)!.Events.Single();
        var attendee = Assert.Single(entry.Attendees);
        Assert.Equal(new Uri("mailto:erika@hagenow.deX"), attendee.Value);
        Assert.DoesNotContain("\r\nX-Y", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nATTENDEE:mailto:fremd", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_carries_CANCEL_with_the_same_UID_and_a_higher_SEQUENCE()
    {
        var ev = await _site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));
        var registration = await _site.AddRegistrationAsync(ev);

        var invite = (await _site.ComposeAsync(MailKind.Confirmation, registration, ev)).Invite();
        var cancellationMail = await _site.ComposeAsync(MailKind.Cancellation, registration, ev);
        var cancel = cancellationMail.Invite();

        Assert.Equal("CANCEL", cancel.Method);
        Assert.Equal("CANCEL", cancellationMail.Calendar().ContentType.Parameters["method"]);
        var (requested, cancelled) = (invite.Events.Single(), cancel.Events.Single());
        Assert.Equal(requested.Uid, cancelled.Uid);
        Assert.True(cancelled.Sequence > requested.Sequence, $"{cancelled.Sequence} > {requested.Sequence}");
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Equal(new Uri("mailto:erika.musterfrau@hagenow.de"), cancelled.Attendees.Single().Value);
        Assert.Equal(requested.DtStart, cancelled.DtStart);
        Assert.Contains(cancellationMail.Attachments, a => a is MimeKit.MimePart { FileName: "absage.ics" });
    }

    [Fact]
    public async Task Event_page_offers_the_calendar_file_and_plain_links_to_Google_and_Outlook()
    {
        await _site.ImportAsync(TestEvents.Future());

        var html = await _site.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2027-05-12", TestContext.Current.CancellationToken);
        var text = Html.Fold(WebUtility.HtmlDecode(html));

        Assert.Contains("Zum Kalender hinzufügen", text, StringComparison.Ordinal);
        Assert.Contains("href=\"/veranstaltungen/cdo-forum-2027-05-12/termin.ics\"", html, StringComparison.Ordinal);
        // 13:00–14:00 Berlin summer time is 11:00–12:00 UTC.
        var google = Regex.Match(html, "href=\"(https://calendar.google.com/[^\"]+)\" rel=\"noopener noreferrer\"");
        Assert.True(google.Success, html);
        Assert.Contains("dates=20270512T110000Z/20270512T120000Z", WebUtility.HtmlDecode(google.Groups[1].Value), StringComparison.Ordinal);
        Assert.Contains("text=CDO-Forum%3A%20Testveranstaltung", WebUtility.HtmlDecode(google.Groups[1].Value), StringComparison.Ordinal);
        var outlook = Regex.Match(html, "href=\"(https://outlook.live.com/calendar/0/action/compose[^\"]+)\" rel=\"noopener noreferrer\"");
        Assert.True(outlook.Success, html);
        Assert.Contains("startdt=2027-05-12T11:00:00Z&enddt=2027-05-12T12:00:00Z", WebUtility.HtmlDecode(outlook.Groups[1].Value), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"src=""(https?:)?//", html);
    }
}
