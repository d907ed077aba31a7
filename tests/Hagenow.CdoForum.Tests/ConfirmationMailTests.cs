using System.Text.RegularExpressions;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Hagenow.CdoForum.Tests;

public sealed class ConfirmationMailTests
{
    private static async Task<Event> SeedEventAsync(SiteFactory site) =>
        await site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == TestEvents.SeedSlug, TestContext.Current.CancellationToken));

    [Fact]
    public async Task Confirmation_arrives_over_SMTP_with_text_html_and_a_calendar_invite()
    {
        var port = Smtp.FreePort();
        using var server = Smtp.Start(port);
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent).WithSmtp(port);
        var ev = await SeedEventAsync(site);

        var registration = await site.AddRegistrationAsync(ev, mail: MailKind.Confirmation);

        Assert.True(await site.EventuallyAsync(() => Task.FromResult(server.ReceivedEmailCount == 1)));
        var message = Mails.Parse(server.ReceivedEmail[0].Data);

        // multipart/mixed → multipart/alternative (plain, html, calendar) + the .ics attachment
        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(2, mixed.Count);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("REQUEST", alternative[2].ContentType.Parameters["method"]);
        Assert.Equal("utf-8", alternative[2].ContentType.Charset, ignoreCase: true);
        var attachment = Assert.IsType<MimePart>(mixed[1]);
        Assert.True(attachment.IsAttachment);
        Assert.EndsWith(".ics", attachment.FileName, StringComparison.Ordinal);
        using var attached = new MemoryStream();
        await attachment.Content!.DecodeToAsync(attached, TestContext.Current.CancellationToken);
        using var inline = new MemoryStream();
        await message.Calendar().Content!.DecodeToAsync(inline, TestContext.Current.CancellationToken);
        Assert.Equal(inline.ToArray(), attached.ToArray());
        Assert.StartsWith("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n", System.Text.Encoding.UTF8.GetString(inline.ToArray()), StringComparison.Ordinal);

        // headers
        Assert.Equal("smartekommunen@iqib.de", message.From.Mailboxes.Single().Address);
        Assert.Equal("KTS Team Wissenstransfer", message.From.Mailboxes.Single().Name);
        Assert.Equal("erika.musterfrau@hagenow.de", message.To.Mailboxes.Single().Address);
        // Address only: a name typed into the public form never speaks in the To line (issue 19).
        Assert.True(string.IsNullOrEmpty(message.To.Mailboxes.Single().Name));
        Assert.Equal("Anmeldebestätigung: CDO-Forum am 11. März 2026", message.Subject);
        Assert.Equal(SiteFactory.BeforeSeedEvent, message.Date);
        Assert.EndsWith("@localhost", message.MessageId, StringComparison.Ordinal);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);

        // the same content in both parts
        var token = await site.TokenForAsync(registration);
        var html = System.Net.WebUtility.HtmlDecode(message.HtmlBody);
        foreach (var body in new[] { message.TextBody, html })
        {
            string[] facts =
            [
                "Guten Tag Erika Musterfrau,", "Ihr Platz ist bestätigt", "Mittwoch, 11. März 2026", "13:00–14:00 Uhr",
                "Digitaler Experimentierraum in der Bibliothek Hagenow", "Begrüßung", "Zeit für Fragen und Diskussion", "Abschluss",
                "Claudia Kaltenbach", $"/anmeldung/{token}", "/veranstaltungen/cdo-forum-2026-03-11",
                "smartekommunen@iqib.de", "+49 2641 / 973 – 560", "Team Wissenstransfer",
            ];
            Assert.All(facts, fact => Assert.Contains(fact, body, StringComparison.Ordinal));
        }

        // nothing loaded from anywhere
        Assert.DoesNotMatch("(?i)<img|<link|src=|url\\(", message.HtmlBody);

        // The server has the message before the outbox marks the row: wait for the mark, not just the delivery.
        Assert.True(await site.EventuallyAsync(async () => (await site.OutboxAsync()).Single().Status == OutboxStatus.Sent));
        var row = Assert.Single(await site.OutboxAsync());
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Null(row.Mime);
        Assert.Equal("Anmeldebestätigung: CDO-Forum am 11. März 2026", row.Subject);
        Assert.Equal("erika.musterfrau@hagenow.de", row.Recipient);
    }

    [Fact]
    public async Task Invite_read_back_is_at_12_to_13_UTC_on_11_March_2026_with_organiser_and_participant()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);
        var ev = await SeedEventAsync(site);
        await site.AddRegistrationAsync(ev, mail: MailKind.Confirmation);

        var message = Assert.Single(await site.PickedUpAsync(1));
        var invite = message.Invite();

        Assert.Equal("REQUEST", invite.Method);
        var entry = Assert.Single(invite.Events);
        Assert.Equal(new DateTime(2026, 3, 11, 12, 0, 0, DateTimeKind.Utc), entry.DtStart!.AsUtc);
        Assert.Equal(new DateTime(2026, 3, 11, 13, 0, 0, DateTimeKind.Utc), entry.DtEnd!.AsUtc);
        Assert.Equal("Europe/Berlin", entry.DtStart.TzId);
        Assert.Equal("Europe/Berlin", Assert.Single(invite.TimeZones).TzId);
        Assert.Equal("cdo-forum-2026-03-11@localhost", entry.Uid);
        Assert.Equal("CDO-Forum: Digitaler Experimentierraum in der Bibliothek Hagenow", entry.Summary);
        Assert.Contains("13:05 Uhr Impulsvortrag", entry.Description, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://localhost:5080/veranstaltungen/cdo-forum-2026-03-11"), entry.Url);
        Assert.Equal(new Uri("mailto:smartekommunen@iqib.de"), entry.Organizer!.Value);
        var attendee = Assert.Single(entry.Attendees);
        Assert.Equal(new Uri("mailto:erika.musterfrau@hagenow.de"), attendee.Value);
        Assert.Equal("Erika Musterfrau", attendee.CommonName);
        Assert.Equal("ACCEPTED", attendee.ParticipationStatus);
    }

    [Fact]
    public async Task Names_typed_by_participants_are_escaped_in_the_HTML_and_the_invite()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);
        var ev = await SeedEventAsync(site);
        await site.AddRegistrationAsync(ev, firstName: "<script>alert(1)</script>", lastName: "Müller, \"Max\"; & Co", mail: MailKind.Confirmation);

        var message = Assert.Single(await site.PickedUpAsync(1));

        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Müller, &quot;Max&quot;; &amp; Co", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Guten Tag <script>alert(1)</script> Müller, \"Max\"; & Co,", message.TextBody, StringComparison.Ordinal);
        // iCalendar parameter values cannot hold double quotes (RFC 5545 3.1); the rest survives.
        Assert.Equal("<script>alert(1)</script> Müller, Max; & Co", message.Invite().Events.Single().Attendees.Single().CommonName);
    }

    [Theory]
    [InlineData(MailKind.Confirmation, "Anmeldebestätigung: CDO-Forum am 11. März 2026")]
    [InlineData(MailKind.WaitingList, "Warteliste: CDO-Forum am 11. März 2026")]
    [InlineData(MailKind.MovedUp, "Nachgerückt – Ihr Platz ist bestätigt: CDO-Forum am 11. März 2026")]
    [InlineData(MailKind.Cancellation, "Stornierung Ihrer Anmeldung: CDO-Forum am 11. März 2026")]
    [InlineData(MailKind.LinkAgain, "Ihr Anmeldelink: CDO-Forum am 11. März 2026")]
    [InlineData(MailKind.Reminder, "Erinnerung: CDO-Forum morgen, Mittwoch, 11. März 2026")]
    public async Task Every_kind_of_mail_has_its_German_subject_the_link_and_the_contact(MailKind kind, string subject)
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);
        var ev = await SeedEventAsync(site);
        var registration = await site.AddRegistrationAsync(ev);
        var token = await site.TokenForAsync(registration);

        var message = await site.ComposeAsync(kind, registration, ev);

        Assert.Equal(subject, message.Subject);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Contains($"/anmeldung/{token}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/anmeldung/{token}", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("smartekommunen@iqib.de", message.TextBody, StringComparison.Ordinal);
        var hasInvite = message.BodyParts.Any(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal(kind is MailKind.Confirmation or MailKind.MovedUp or MailKind.Cancellation, hasInvite);
    }

    [Fact]
    public async Task Waiting_list_mail_names_the_position_and_carries_no_invite()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);
        var ev = await SeedEventAsync(site);
        var registration = await site.AddRegistrationAsync(ev, status: RegistrationStatus.Waiting);

        var message = await site.ComposeAsync(MailKind.WaitingList, registration, ev, waitingPosition: 3);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Contains("Sie stehen auf Platz 3 der Warteliste.", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Sie stehen auf Platz 3 der Warteliste.", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ihr Platz ist bestätigt", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Online_access_details_go_to_confirmed_participants_only()
    {
        const string access = "https://konferenz.example.de/j/4711 (Kenncode 2468)";
        using var site = new SiteFactory();
        var ev = await site.ImportAsync(TestEvents.Future() with { OnlineAccess = access, Location = "Webex" });

        var confirmed = await site.AddRegistrationAsync(ev);
        var waiting = await site.AddRegistrationAsync(ev, email: "warte@hagenow.de", status: RegistrationStatus.Waiting);
        var confirmation = await site.ComposeAsync(MailKind.Confirmation, confirmed, ev);
        var waitingMail = await site.ComposeAsync(MailKind.WaitingList, waiting, ev, waitingPosition: 1);
        var cancellation = await site.ComposeAsync(MailKind.Cancellation, confirmed, ev);
        var reminder = await site.ComposeAsync(MailKind.Reminder, confirmed, ev);

        Assert.Contains(access, confirmation.TextBody, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(access), confirmation.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(access, confirmation.Invite().Events.Single().Description, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", waitingMail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", waitingMail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", cancellation.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", cancellation.Calendar().Text, StringComparison.Ordinal);
        Assert.Contains(access, reminder.TextBody, StringComparison.Ordinal);

        var client = site.CreateClient();
        var page = await client.GetStringAsync($"/veranstaltungen/{ev.Slug}", TestContext.Current.CancellationToken);
        var ics = await client.GetStringAsync($"/veranstaltungen/{ev.Slug}/termin.ics", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("4711", page, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", Regex.Replace(ics, "\r\n[ \t]", ""), StringComparison.Ordinal);
    }
}
