using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// An attacker forges Host and X-Forwarded-Host on every form that sends mail. The site is configured as loosely as an
/// operator might (AllowedHosts "*"), so the forged header reaches the forms: the mails still link only to
/// <c>Site:PublicUrl</c>, and "evil.example" appears nowhere in them (links, Message-ID, calendar).
/// </summary>
public sealed class ForgedHostTests(ForgedHostTests.LaxHostsSite site) : IClassFixture<ForgedHostTests.LaxHostsSite>
{
    public const string PublicUrl = "https://cdo-forum.example.de";
    private const string Forged = "evil.example";

    public sealed class LaxHostsSite : SiteFactory
    {
        public LaxHostsSite()
        {
            With("Site:PublicUrl", PublicUrl);
            With("AllowedHosts", "*");
            With("RateLimits:SignUpsPerMinutePerClient", "1000");
            With("RateLimits:StaffLoginsPerMinutePerClient", "1000");
        }
    }

    [Fact]
    public async Task Confirmation_and_waiting_list_mails_link_to_the_public_url()
    {
        var slug = await ImportEventAsync(capacity: 1);
        var client = ForgedClient();

        var confirmed = await SignUpForm.SignUpAndFollowAsync(client, slug, $"anna-{slug}@kommune.de");
        var waiting = await SignUpForm.SignUpAndFollowAsync(client, slug, $"bernd-{slug}@kommune.de");

        AssertLinksOnlyToPublicUrl(await MailsToAsync($"anna-{slug}@kommune.de", 1), confirmed);
        AssertLinksOnlyToPublicUrl(await MailsToAsync($"bernd-{slug}@kommune.de", 1), waiting);
    }

    [Fact]
    public async Task Link_again_on_a_duplicate_sign_up_goes_to_the_public_url_not_to_whoever_forged_the_host()
    {
        var slug = await ImportEventAsync(capacity: null);
        var email = $"erika-{slug}@kommune.de";
        var page = await SignUpForm.SignUpAndFollowAsync(site.CreatePlainClient(), slug, email);
        site.Clock.Advance(Web.Registrations.RegistrationService.LinkMailInterval + TimeSpan.FromMinutes(1));

        using var duplicate = await SignUpForm.SignUpAsync(ForgedClient(), slug, SignUpForm.Valid(email));

        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        var kinds = await site.WithDbAsync(db => db.OutboxMessages.Where(m => m.Recipient == email).OrderBy(m => m.Id)
            .Select(m => m.Kind).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([MailKind.Confirmation, MailKind.LinkAgain], kinds);
        var mails = await MailsToAsync(email, 2);
        Assert.All(mails, mail => AssertLinksOnlyToPublicUrl([mail], page));
    }

    [Fact]
    public async Task Participant_cancellation_mail_links_to_the_public_url()
    {
        var slug = await ImportEventAsync(capacity: null);
        var email = $"clara-{slug}@kommune.de";
        var client = ForgedClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, slug, email);

        using var cancel = await SignUpForm.SubmitAsync(client, $"{page}/stornieren", []);

        Assert.Equal(HttpStatusCode.SeeOther, cancel.StatusCode);
        var mails = await MailsToAsync(email, 2);
        AssertLinksOnlyToPublicUrl(mails, page);
    }

    [Fact]
    public async Task Staff_resend_promote_and_cancel_mails_link_to_the_public_url()
    {
        var slug = await ImportEventAsync(capacity: 1);
        var anna = $"anna-{slug}@kommune.de";
        var bernd = $"bernd-{slug}@kommune.de";
        var annaPage = await SignUpForm.SignUpAndFollowAsync(site.CreatePlainClient(), slug, anna);
        var berndPage = await SignUpForm.SignUpAndFollowAsync(site.CreatePlainClient(), slug, bernd);
        var staffEmail = $"team-{slug}@kts.example.de";
        await site.CreateStaffAsync(staffEmail);
        var client = ForgedClient();
        using (var login = await client.LogInAsync(staffEmail, StaffSession.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        // The second factor, enrolled on first login.
        Assert.Equal(10, (await client.EnrolAsync(site)).RecoveryCodes.Count);

        var ids = await site.WithDbAsync(db => db.Set<Web.Registrations.Registration>()
            .Where(r => r.Event.Slug == slug).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(TestContext.Current.CancellationToken));
        string Action(int id, string action) => $"/intern/veranstaltungen/{slug}/anmeldungen/{id}/{action}";

        using (var resend = await client.SubmitFormAsync(Action(ids[0], "bestaetigung-erneut-senden")))
        using (var promote = await client.SubmitFormAsync(Action(ids[1], "nachruecken")))
        using (var cancel = await client.SubmitFormAsync(Action(ids[0], "stornieren")))
        {
            Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther], new[] { resend.StatusCode, promote.StatusCode, cancel.StatusCode });
        }

        // Anna: confirmation, the resent confirmation, the cancellation; Bernd: waiting list, moved up.
        AssertLinksOnlyToPublicUrl(await MailsToAsync(anna, 3), annaPage);
        AssertLinksOnlyToPublicUrl(await MailsToAsync(bernd, 2), berndPage);
    }

    /// <summary>Every request says Host: evil.example and X-Forwarded-Host: evil.example.</summary>
    private HttpClient ForgedClient()
    {
        var client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri($"http://{Forged}/") });
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", Forged);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "http");
        return client;
    }

    private async Task<string> ImportEventAsync(int? capacity)
    {
        var slug = $"forum-{Guid.NewGuid():N}"[..20];
        await site.ImportAsync(TestEvents.Future(slug, capacity));
        return slug;
    }

    private Task<List<MimeMessage>> MailsToAsync(string recipient, int count) => MailsTo(site, recipient, count);

    /// <summary>Waits until <paramref name="count"/> mails to the address were written to the pickup folder and returns them.</summary>
    public static async Task<List<MimeMessage>> MailsTo(SiteFactory site, string recipient, int count)
    {
        List<MimeMessage> found = [];
        Assert.True(await site.EventuallyAsync(async () =>
        {
            var pending = await site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Recipient == recipient && m.Status != OutboxStatus.Sent, TestContext.Current.CancellationToken));
            found = !Directory.Exists(site.MailFolder)
                ? []
                : [.. Directory.GetFiles(site.MailFolder, "*.eml").Select(f => MimeMessage.Load(f))
                    .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))];
            return pending == 0 && found.Count >= count;
        }), $"Expected {count} mails to {recipient}, found {found.Count}; outbox: " + string.Join("; ", await site.WithDbAsync(db =>
            db.OutboxMessages.Where(m => m.Recipient == recipient).Select(m => $"{m.Kind} {m.Status} {m.Attempts} {m.LastError}").ToListAsync(TestContext.Current.CancellationToken))));
        Assert.Equal(count, found.Count);
        return found;
    }

    /// <summary>Headers, every text part and every attachment, decoded.</summary>
    public static string Everything(MimeMessage message)
    {
        var parts = message.Headers.Select(h => $"{h.Field}: {h.Value}").ToList();
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            using var decoded = new MemoryStream();
            part.Content?.DecodeTo(decoded);
            parts.Add(part is TextPart text ? text.Text ?? "" : System.Text.Encoding.UTF8.GetString(decoded.ToArray()));
        }

        return string.Join("\n", parts);
    }

    private static void AssertLinksOnlyToPublicUrl(List<MimeMessage> mails, string participantPage)
    {
        Assert.NotEmpty(mails);
        foreach (var mail in mails)
        {
            var all = Everything(mail);
            Assert.DoesNotContain(Forged, all, StringComparison.OrdinalIgnoreCase);
            Assert.EndsWith("@cdo-forum.example.de", mail.MessageId, StringComparison.Ordinal);
        }

        Assert.Contains(mails, m => Everything(m).Contains($"{PublicUrl}{participantPage}", StringComparison.Ordinal));
    }
}
