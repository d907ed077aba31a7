using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// One site for the class: each test signs up to an event of its own and looks only at the mails written since it started
/// (the tests of a class run one after the other). The test that moves the clock has a site of its own.
/// </summary>
[Trait("Engines", "Both")]
public sealed class CancellationTests(CancellationTests.Site site) : IClassFixture<CancellationTests.Site>, IAsyncLifetime
{
    private SiteFactory _site = site;
    private long _mailSince;

    public sealed class Site : SharedSite
    {
        public Site() => With("RateLimits:SignUpsPerMinutePerClient", "1000");
    }

    private string Slug { get; } = $"cdo-forum-2027-05-12-{Guid.NewGuid():N}"[..30];

    /// <summary>Addresses of this test's own (at most five mails per inbox and hour).</summary>
    private readonly string _tag = $"t{Guid.NewGuid():N}"[..9];

    public async ValueTask InitializeAsync() =>
        _mailSince = await _site.WithDbAsync(db => db.OutboxMessages.Select(m => (long?)m.Id).MaxAsync(TestContext.Current.CancellationToken)) ?? 0;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Participant_confirms_on_a_second_page_and_the_registration_is_cancelled_with_a_mail()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");

        var (status, question) = await client.GetTextAsync($"{page}/stornieren");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Möchten Sie Ihre Anmeldung zu „Testveranstaltung {Slug}“ am Mittwoch, 12. Mai 2027 wirklich stornieren?", question, StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusOfAsync($"erika@{_tag}.hagenow.de"));

        using var response = await SignUpForm.SubmitAsync(client, $"{page}/stornieren", []);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(page, response.Headers.Location!.OriginalString);
        Assert.Equal(RegistrationStatus.Cancelled, await StatusOfAsync($"erika@{_tag}.hagenow.de"));
        Assert.Equal([MailKind.Confirmation, MailKind.Cancellation], await MailKindsAsync());
        var (_, text) = await client.GetTextAsync(page);
        Assert.Contains("Diese Anmeldung ist storniert.", text, StringComparison.Ordinal);
        Assert.Contains("erneut anmelden", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Anmeldung stornieren …", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Änderungen speichern", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_twice_sends_one_cancellation_mail()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, $"{page}/stornieren");

        using var first = await SignUpForm.PostAsync(client, $"{page}/stornieren", [], token);
        using var second = await SignUpForm.PostAsync(client, $"{page}/stornieren", [], token);

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal([MailKind.Confirmation, MailKind.Cancellation], await MailKindsAsync());
    }

    [Fact]
    public async Task Cancel_without_antiforgery_token_is_refused_and_changes_nothing()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");

        using var response = await SignUpForm.PostAsync(client, $"{page}/stornieren", [], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusOfAsync($"erika@{_tag}.hagenow.de"));
        Assert.Equal([MailKind.Confirmation], await MailKindsAsync());
    }

    [Fact]
    public async Task A_cancelled_place_goes_to_the_first_person_on_the_waiting_list()
    {
        await _site.ImportAsync(TestEvents.Future(Slug, capacity: 2));
        var client = _site.CreatePlainClient();
        var anna = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"anna@{_tag}.kommune.de");
        await SignUpForm.SignUpAndFollowAsync(client, Slug, $"bernd@{_tag}.kommune.de");
        var clara = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"clara@{_tag}.kommune.de");
        var dieter = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"dieter@{_tag}.kommune.de");
        Assert.Contains("auf Platz 2.", (await client.GetTextAsync(dieter)).Text, StringComparison.Ordinal);

        using var response = await SignUpForm.SubmitAsync(client, $"{anna}/stornieren", []);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(RegistrationStatus.Cancelled, await StatusOfAsync($"anna@{_tag}.kommune.de"));
        Assert.Equal(RegistrationStatus.Confirmed, await StatusOfAsync($"clara@{_tag}.kommune.de"));
        Assert.Equal(RegistrationStatus.Waiting, await StatusOfAsync($"dieter@{_tag}.kommune.de"));
        var mails = await _site.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id > _mailSince).OrderBy(m => m.Id).Skip(4)
            .Select(m => new { m.Kind, m.Recipient }).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([new { Kind = MailKind.Cancellation, Recipient = $"anna@{_tag}.kommune.de" }, new { Kind = MailKind.MovedUp, Recipient = $"clara@{_tag}.kommune.de" }], mails);
        Assert.Contains("Ihre Anmeldung ist bestätigt.", (await client.GetTextAsync(clara)).Text, StringComparison.Ordinal);
        Assert.Contains("auf Platz 1.", (await client.GetTextAsync(dieter)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaving_the_waiting_list_moves_nobody_up()
    {
        await _site.ImportAsync(TestEvents.Future(Slug, capacity: 1));
        var client = _site.CreatePlainClient();
        await SignUpForm.SignUpAndFollowAsync(client, Slug, $"anna@{_tag}.kommune.de");
        var bernd = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"bernd@{_tag}.kommune.de");
        await SignUpForm.SignUpAndFollowAsync(client, Slug, $"clara@{_tag}.kommune.de");

        using var response = await SignUpForm.SubmitAsync(client, $"{bernd}/stornieren", []);

        Assert.Equal(RegistrationStatus.Waiting, await StatusOfAsync($"clara@{_tag}.kommune.de"));
        Assert.Equal([MailKind.Confirmation, MailKind.WaitingList, MailKind.WaitingList, MailKind.Cancellation], await MailKindsAsync());
    }

    [Fact]
    public async Task After_cancelling_the_same_address_can_sign_up_again()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");
        using var cancel = await SignUpForm.SubmitAsync(client, $"{page}/stornieren", []);

        var again = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"Erika@{_tag}.Hagenow.de");

        Assert.NotEqual(page, again);
        var statuses = await _site.WithDbAsync(db => db.Registrations.Where(r => r.Event.Slug == Slug).OrderBy(r => r.Id).Select(r => r.Status).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([RegistrationStatus.Cancelled, RegistrationStatus.Confirmed], statuses);
    }

    [Fact]
    public async Task Once_the_event_has_started_the_participant_can_no_longer_cancel()
    {
        // The clock moves on: a site of its own.
        using var own = new SiteFactory();
        _site = own;
        await _site.ImportAsync(TestEvents.Future(Slug));
        var client = _site.CreatePlainClient();
        var page = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"erika@{_tag}.hagenow.de");
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, $"{page}/stornieren");
        _site.Clock.SetUtcNow(new DateTimeOffset(2027, 5, 12, 13, 10, 0, TimeSpan.FromHours(2)));

        using var response = await SignUpForm.PostAsync(client, $"{page}/stornieren", [], token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Die Anmeldung konnte nicht storniert werden.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusOfAsync($"erika@{_tag}.hagenow.de"));
        Assert.DoesNotContain("Anmeldung stornieren …", (await client.GetTextAsync(page)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_of_sign_up_duplicate_correction_and_cancellation_hold_no_address_name_or_token()
    {
        var logs = new LogCollector();
        using var site = _site.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        await _site.ImportAsync(TestEvents.Future(Slug, capacity: 1));
        var client = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var anna = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"anna.secret@{_tag}.kommune.de");
        var bernd = await SignUpForm.SignUpAndFollowAsync(client, Slug, $"bernd.secret@{_tag}.kommune.de");
        using (await SignUpForm.SignUpAsync(client, Slug, SignUpForm.Valid($"ANNA.secret@{_tag}.kommune.de")))
        using (await SignUpForm.SubmitAsync(client, anna, new Dictionary<string, string> { ["FirstName"] = "Geheimvorname", ["LastName"] = "Geheim", ["Organisation"] = "Amt" }))
        using (await SignUpForm.SubmitAsync(client, $"{anna}/stornieren", []))
        {
        }

        Assert.Contains(logs.Lines, l => l.Contains("moved up from the waiting list", StringComparison.Ordinal));
        string[] secrets = ["secret@", "Erika", "Mustermann", "Geheim", anna["/anmeldung/".Length..], bernd["/anmeldung/".Length..]];
        Assert.All(logs.Lines, line => Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    private Task<RegistrationStatus> StatusOfAsync(string email) =>
        _site.WithDbAsync(db => db.Registrations.Where(r => r.EmailNormalized == email && r.Event.Slug == Slug).OrderBy(r => r.Id).Select(r => r.Status).LastAsync(TestContext.Current.CancellationToken));

    private Task<List<MailKind>> MailKindsAsync() =>
        _site.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id > _mailSince).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync(TestContext.Current.CancellationToken));
}
