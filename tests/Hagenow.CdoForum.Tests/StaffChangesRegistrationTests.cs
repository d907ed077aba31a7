using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>The RegistrationService methods the staff area calls: each one transaction with its mails and audit entry.</summary>
[Trait("Engines", "Both")]
public sealed class StaffChangesRegistrationTests : IDisposable
{
    private const string Slug = "cdo-forum-2027-05-12";
    private const string Staff = "team@kts.example";

    private readonly SiteFactory _site = new SiteFactory().With("RateLimits:SignUpsPerMinutePerClient", "1000");

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Staff_cancels_a_confirmed_registration_the_first_waiting_moves_up_and_the_audit_names_ids_only()
    {
        var ids = await SignUpAsync(capacity: 1, "anna@kommune.de", "bernd@kommune.de");

        Assert.True(await ServiceAsync(s => s.CancelAsync(ids[0], Staff, TestContext.Current.CancellationToken)));

        Assert.Equal([RegistrationStatus.Cancelled, RegistrationStatus.Confirmed], await StatusesAsync());
        Assert.Equal([MailKind.Confirmation, MailKind.WaitingList, MailKind.Cancellation, MailKind.MovedUp], await MailKindsAsync());
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal((Staff, "registration.cancel", ids[0]), (audit.Actor, audit.Action, audit.RegistrationId));
        Assert.Contains($"nachgerückt: Anmeldung {ids[1]}", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("anna", audit.Details, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bernd", audit.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Staff_may_cancel_after_the_event_has_started()
    {
        var ids = await SignUpAsync(capacity: null, "anna@kommune.de");
        _site.Clock.SetUtcNow(new DateTimeOffset(2027, 5, 12, 13, 30, 0, TimeSpan.FromHours(2)));

        Assert.False(await ServiceAsync(s => s.CancelAsync(ids[0], staffActor: null, TestContext.Current.CancellationToken)));
        Assert.True(await ServiceAsync(s => s.CancelAsync(ids[0], Staff, TestContext.Current.CancellationToken)));
        Assert.False(await ServiceAsync(s => s.CancelAsync(ids[0], Staff, TestContext.Current.CancellationToken)));
        Assert.False(await ServiceAsync(s => s.CancelAsync(999, Staff, TestContext.Current.CancellationToken)));
        Assert.Equal(1, await _site.WithDbAsync(db => db.AuditEntries.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Staff_promotes_a_waiting_person_even_when_full_and_the_audit_says_it_is_overbooked()
    {
        var ids = await SignUpAsync(capacity: 1, "anna@kommune.de", "bernd@kommune.de", "clara@kommune.de");

        Assert.True(await ServiceAsync(s => s.PromoteAsync(ids[2], Staff, TestContext.Current.CancellationToken)));

        Assert.Equal([RegistrationStatus.Confirmed, RegistrationStatus.Waiting, RegistrationStatus.Confirmed], await StatusesAsync());
        Assert.Equal(MailKind.MovedUp, (await MailKindsAsync())[^1]);
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("registration.promote", ids[2]), (audit.Action, audit.RegistrationId));
        Assert.Contains("2 bestätigt bei 1 Plätzen (überbucht)", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promoting_someone_not_waiting_changes_nothing()
    {
        var ids = await SignUpAsync(capacity: 5, "anna@kommune.de");

        Assert.False(await ServiceAsync(s => s.PromoteAsync(ids[0], Staff, TestContext.Current.CancellationToken)));

        Assert.Equal([MailKind.Confirmation], await MailKindsAsync());
        Assert.Equal(0, await _site.WithDbAsync(db => db.AuditEntries.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Staff_resends_the_mail_that_matches_the_status_and_never_for_cancelled()
    {
        var ids = await SignUpAsync(capacity: 1, "anna@kommune.de", "bernd@kommune.de");

        Assert.True(await ServiceAsync(s => s.ResendConfirmationAsync(ids[0], Staff, TestContext.Current.CancellationToken)));
        Assert.True(await ServiceAsync(s => s.ResendConfirmationAsync(ids[1], Staff, TestContext.Current.CancellationToken)));
        Assert.True(await ServiceAsync(s => s.CancelAsync(ids[1], Staff, TestContext.Current.CancellationToken)));
        Assert.False(await ServiceAsync(s => s.ResendConfirmationAsync(ids[1], Staff, TestContext.Current.CancellationToken)));

        Assert.Equal(
            [MailKind.Confirmation, MailKind.WaitingList, MailKind.Confirmation, MailKind.WaitingList, MailKind.Cancellation],
            await MailKindsAsync());
        var actions = await _site.WithDbAsync(db => db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["registration.resend", "registration.resend", "registration.cancel"], actions);
    }

    [Fact]
    public async Task Find_by_token_returns_the_registration_with_its_event_and_null_for_anything_else()
    {
        await _site.ImportAsync(TestEvents.Future(Slug));
        var page = await SignUpForm.SignUpAndFollowAsync(_site.CreatePlainClient(), Slug, "anna@kommune.de");
        var token = page["/anmeldung/".Length..];

        var found = await ServiceAsync(s => s.FindByTokenAsync(token, TestContext.Current.CancellationToken));

        Assert.Equal(("anna@kommune.de", Slug), (found?.Email, found?.Event.Slug));
        Assert.Null(await ServiceAsync(s => s.FindByTokenAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), TestContext.Current.CancellationToken)));
        Assert.Null(await ServiceAsync(s => s.FindByTokenAsync("", TestContext.Current.CancellationToken)));
        Assert.Null(await ServiceAsync(s => s.FindByTokenAsync(new string('A', 5000), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task When_capacity_was_raised_the_waiting_list_moves_up_before_a_newcomer_gets_a_place()
    {
        await SignUpAsync(capacity: 1, "anna@kommune.de", "bernd@kommune.de");
        await _site.ImportAsync(TestEvents.Future(Slug, capacity: 3));

        await SignUpForm.SignUpAndFollowAsync(_site.CreatePlainClient(), Slug, "clara@kommune.de");

        Assert.Equal([RegistrationStatus.Confirmed, RegistrationStatus.Confirmed, RegistrationStatus.Confirmed], await StatusesAsync());
        Assert.Equal([MailKind.Confirmation, MailKind.WaitingList, MailKind.MovedUp, MailKind.Confirmation], await MailKindsAsync());
    }

    private async Task<List<int>> SignUpAsync(int? capacity, params string[] emails)
    {
        await _site.ImportAsync(TestEvents.Future(Slug, capacity));
        var client = _site.CreatePlainClient();
        foreach (var email in emails)
        {
            await SignUpForm.SignUpAndFollowAsync(client, Slug, email);
        }

        return await _site.WithDbAsync(db => db.Registrations.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(TestContext.Current.CancellationToken));
    }

    private async Task<T> ServiceAsync<T>(Func<RegistrationService, Task<T>> call)
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<RegistrationService>());
    }

    private Task<List<RegistrationStatus>> StatusesAsync() =>
        _site.WithDbAsync(db => db.Registrations.OrderBy(r => r.Id).Select(r => r.Status).ToListAsync(TestContext.Current.CancellationToken));

    private Task<List<MailKind>> MailKindsAsync() =>
        _site.WithDbAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync(TestContext.Current.CancellationToken));
}
