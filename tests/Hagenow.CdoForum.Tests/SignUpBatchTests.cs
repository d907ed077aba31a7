using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// Group commit: sign-ups that queue up together are decided one after the other inside one write and committed
/// together. Each test hands one batch straight to <see cref="SignUpCommits.CommitBatchAsync"/>, so what is in the
/// batch is fixed, not left to timing.
/// </summary>
public sealed class SignUpBatchTests(SignUpBatchTests.Site site) : IClassFixture<SignUpBatchTests.Site>
{
    public sealed class Site : SharedSite;

    [Fact]
    public async Task A_batch_with_the_same_address_twice_stores_it_once_and_answers_the_second_as_a_duplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var ev = await site.ImportAsync(TestEvents.Future(slug: "stapel-doppelt", date: "2027-07-01"));
        var batch = await PrepareAsync(ev.Slug, ct, "erika@hagenow.de", "Erika@Hagenow.DE", "max@hagenow.de");

        await CommitAsync(batch);

        var outcomes = await Task.WhenAll(batch.Select(s => s.Outcome.Task));
        Assert.Equal([SignUpOutcome.Confirmed, SignUpOutcome.Duplicate, SignUpOutcome.Confirmed], outcomes.Select(o => o.Outcome));
        Assert.Null(outcomes[1].Token);
        var rows = await site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).Select(r => r.EmailNormalized).ToListAsync(ct));
        Assert.Equal(["erika@hagenow.de", "max@hagenow.de"], rows);
        // The duplicate right after the first sign-up sends no "link again": the confirmation carries the link.
        var mails = await MailKindsAsync(ev.Id, ct);
        Assert.Equal([MailKind.Confirmation, MailKind.Confirmation], mails);
    }

    [Fact]
    public async Task A_batch_that_spans_the_last_free_place_confirms_in_order_and_puts_the_rest_on_the_waiting_list()
    {
        var ct = TestContext.Current.CancellationToken;
        var ev = await site.ImportAsync(TestEvents.Future(slug: "stapel-letzter-platz", capacity: 2, date: "2027-07-02"));
        await CommitAsync(await PrepareAsync(ev.Slug, ct, "erste@hagenow.de"));
        var batch = await PrepareAsync(ev.Slug, ct, "zweite@hagenow.de", "dritte@hagenow.de", "vierte@hagenow.de");

        await CommitAsync(batch);

        var outcomes = await Task.WhenAll(batch.Select(s => s.Outcome.Task));
        Assert.Equal([SignUpOutcome.Confirmed, SignUpOutcome.Waiting, SignUpOutcome.Waiting], outcomes.Select(o => o.Outcome));
        Assert.All(outcomes, o => Assert.NotNull(o.Token));
        var rows = await site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).Select(r => new { r.EmailNormalized, r.Status }).ToListAsync(ct));
        Assert.Equal(
            [("erste@hagenow.de", RegistrationStatus.Confirmed), ("zweite@hagenow.de", RegistrationStatus.Confirmed), ("dritte@hagenow.de", RegistrationStatus.Waiting), ("vierte@hagenow.de", RegistrationStatus.Waiting)],
            rows.Select(r => (r.EmailNormalized, r.Status)));
        Assert.Equal([MailKind.Confirmation, MailKind.Confirmation, MailKind.WaitingList, MailKind.WaitingList], await MailKindsAsync(ev.Id, ct));
        // The waiting-list mails name the positions 1 and 2, counted inside the batch.
        var waitingMails = await site.WithDbAsync(db => db.OutboxMessages
            .Where(m => m.Kind == MailKind.WaitingList && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == ev.Id))
            .OrderBy(m => m.Id).ToListAsync(ct));
        Assert.Contains("Platz 1 der Warteliste", (await site.MessageOfAsync(waitingMails[0])).TextBody, StringComparison.Ordinal);
        Assert.Contains("Platz 2 der Warteliste", (await site.MessageOfAsync(waitingMails[1])).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_failing_member_fails_alone_and_the_others_of_its_batch_are_stored_with_their_mails()
    {
        var ct = TestContext.Current.CancellationToken;
        var ev = await site.ImportAsync(TestEvents.Future(slug: "stapel-fehler", date: "2027-07-03"));
        var first = await PrepareAsync(ev.Slug, ct, "vorher@hagenow.de");
        await CommitAsync(first);
        var batch = await PrepareAsync(ev.Slug, ct, "anna@hagenow.de", "bert@hagenow.de", "clara@hagenow.de");
        // Bert's row cannot be stored: its token hash is taken (a unique index), as a defect would make it.
        batch[1].Registration.TokenHash = first[0].Registration.TokenHash;

        await CommitAsync(batch);

        Assert.Equal(SignUpOutcome.Confirmed, (await batch[0].Outcome.Task).Outcome);
        await Assert.ThrowsAsync<DbUpdateException>(() => batch[1].Outcome.Task);
        Assert.Equal(SignUpOutcome.Confirmed, (await batch[2].Outcome.Task).Outcome);
        var rows = await site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).Select(r => r.EmailNormalized).ToListAsync(ct));
        Assert.Equal(["vorher@hagenow.de", "anna@hagenow.de", "clara@hagenow.de"], rows);
        Assert.Equal(3, (await MailKindsAsync(ev.Id, ct)).Count);
        // The tokens the others were answered with open their registrations.
        var client = site.CreatePlainClient();
        using var page = await client.GetAsync($"/anmeldung/{(await batch[2].Outcome.Task).Token}", ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task The_per_inbox_limit_counts_the_mails_queued_earlier_in_the_same_batch()
    {
        var ct = TestContext.Current.CancellationToken;
        var ev = await site.ImportAsync(TestEvents.Future(slug: "stapel-postfach", date: "2027-07-05"));
        // Seven spellings that reach one inbox ("+tag" dropped): the limit is five mails an hour.
        var batch = await PrepareAsync(ev.Slug, ct, [.. Enumerable.Range(1, 7).Select(i => $"ines+{i}@hagenow.de")]);

        await CommitAsync(batch);

        var outcomes = await Task.WhenAll(batch.Select(s => s.Outcome.Task));
        Assert.All(outcomes, o => Assert.Equal(SignUpOutcome.Confirmed, o.Outcome));
        Assert.Equal([false, false, false, false, false, true, true], outcomes.Select(o => o.MailHeld));
        Assert.Equal(7, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.EventId == ev.Id, ct)));
        Assert.Equal(5, (await MailKindsAsync(ev.Id, ct)).Count);
    }

    [Fact]
    public async Task A_batch_that_meets_a_free_place_moves_the_waiting_list_up_before_it_decides()
    {
        var ct = TestContext.Current.CancellationToken;
        var ev = await site.ImportAsync(TestEvents.Future(slug: "stapel-nachruecken", capacity: 1, date: "2027-07-06"));
        await CommitAsync(await PrepareAsync(ev.Slug, ct, "erste@hagenow.de", "wartet@hagenow.de"));
        // Two more places, without the change that would move people up (as an import of an older copy could leave it).
        await site.WithDbAsync(db => db.Set<Web.Events.Event>().Where(e => e.Id == ev.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Capacity, 3), ct));
        var batch = await PrepareAsync(ev.Slug, ct, "dritte@hagenow.de", "vierte@hagenow.de");

        await CommitAsync(batch);

        var outcomes = await Task.WhenAll(batch.Select(s => s.Outcome.Task));
        Assert.Equal([SignUpOutcome.Confirmed, SignUpOutcome.Waiting], outcomes.Select(o => o.Outcome));
        var rows = await site.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).Select(r => new { r.EmailNormalized, r.Status }).ToListAsync(ct));
        Assert.Equal(
            [("erste@hagenow.de", RegistrationStatus.Confirmed), ("wartet@hagenow.de", RegistrationStatus.Confirmed), ("dritte@hagenow.de", RegistrationStatus.Confirmed), ("vierte@hagenow.de", RegistrationStatus.Waiting)],
            rows.Select(r => (r.EmailNormalized, r.Status)));
        Assert.Equal(
            [MailKind.Confirmation, MailKind.WaitingList, MailKind.MovedUp, MailKind.Confirmation, MailKind.WaitingList],
            await MailKindsAsync(ev.Id, ct));
        var lastWaitingMail = await site.WithDbAsync(db => db.OutboxMessages
            .Where(m => m.Kind == MailKind.WaitingList && db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == ev.Id))
            .OrderByDescending(m => m.Id).FirstAsync(ct));
        Assert.Contains("Platz 1 der Warteliste", (await site.MessageOfAsync(lastWaitingMail)).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_stores_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var ev = await site.ImportAsync(TestEvents.Future(slug: "stapel-abgebrochen", date: "2027-07-04"));
        using var gone = new CancellationTokenSource();
        PendingSignUp signUp;
        await using (var scope = site.Services.CreateAsyncScope())
        {
            signUp = (await scope.ServiceProvider.GetRequiredService<RegistrationService>()
                .PrepareSignUpAsync(ev.Slug, Details("weg@hagenow.de"), gone.Token))!;
        }

        await gone.CancelAsync();
        var outcome = site.Services.GetRequiredService<SignUpCommits>().SubmitAsync(signUp);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outcome);
        Assert.Equal(0, await site.WithDbAsync(db => db.Registrations.CountAsync(r => r.EventId == ev.Id, ct)));
    }

    private async Task<List<PendingSignUp>> PrepareAsync(string slug, CancellationToken ct, params string[] addresses)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<RegistrationService>();
        var batch = new List<PendingSignUp>();
        foreach (var address in addresses)
        {
            batch.Add((await service.PrepareSignUpAsync(slug, Details(address), ct))!);
        }

        return batch;
    }

    private Task CommitAsync(List<PendingSignUp> batch) => site.Services.GetRequiredService<SignUpCommits>().CommitBatchAsync(batch);

    private Task<List<MailKind>> MailKindsAsync(int eventId, CancellationToken ct) =>
        site.WithDbAsync(db => db.OutboxMessages.Where(m => db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == eventId)).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync(ct));

    private static SignUpDetails Details(string email) => new(new ParticipantDetails("Erika", "Musterfrau", "Stadt Hagenow", null), email, null, null);

}
