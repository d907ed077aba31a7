using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

/// <summary>
/// Two instances of the site on one PostgreSQL database, as behind a load balancer: capacity, forms, staff logins,
/// the page cache and the mail outbox hold across them, and one instance dying in a rush loses nothing accepted.
/// </summary>
[Trait("Engines", "PostgreSQL")]
public sealed class MultiInstanceTests : IDisposable
{
    private readonly SiteFactory _a;
    private readonly SiteFactory _b;

    public MultiInstanceTests()
    {
        _a = new SiteFactory(DatabaseProvider.PostgreSql).WithoutBackgroundJobs().With("RateLimits:SignUpsPerMinutePerClient", "1000");
        _b = new SiteFactory(_a.Folder, _a.Clock.GetUtcNow(), DatabaseProvider.PostgreSql)
            .WithoutBackgroundJobs().With("RateLimits:SignUpsPerMinutePerClient", "1000");
    }

    public void Dispose()
    {
        _b.Dispose();
        _a.Dispose();
    }

    [Fact]
    public async Task Hundred_sign_ups_split_across_two_instances_give_exactly_twenty_confirmed_and_eighty_waiting()
    {
        const string slug = "zwei-instanzen";
        var ev = await _a.ImportAsync(TestEvents.Future(slug, capacity: 20));
        var clients = new[] { _a.CreatePlainClient(), _b.CreatePlainClient() };
        var tokens = await Task.WhenAll(clients.Select(c => SignUpForm.GetAntiforgeryTokenAsync(c, SignUpForm.FormUrl(slug))));
        // B has the page in its cache before the rush; it must not keep showing it.
        var (_, before) = await clients[1].GetTextAsync($"/veranstaltungen/{slug}");
        Assert.Contains("<dd>20 von 20 frei</dd>", before, StringComparison.Ordinal);
        using var start = new ManualResetEventSlim();

        var posts = Enumerable.Range(1, 100).Select(i => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            using var response = await SignUpForm.PostAsync(clients[i % 2], SignUpForm.FormUrl(slug), SignUpForm.Valid($"person{i}@kommune.de"), tokens[i % 2]);
            return response.StatusCode;
        }, TestContext.Current.CancellationToken)).ToArray();
        start.Set();
        var statuses = await Task.WhenAll(posts);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.SeeOther, s));
        var rows = await _a.WithDbAsync(db => db.Registrations.Where(r => r.EventId == ev.Id).OrderBy(r => r.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(100, rows.Count);
        Assert.Equal(20, rows.Count(r => r.Status == RegistrationStatus.Confirmed));
        Assert.All(rows.Take(20), r => Assert.Equal(RegistrationStatus.Confirmed, r.Status));
        var kinds = await _b.WithDbAsync(db => db.OutboxMessages
            .Where(m => db.Set<Registration>().Any(r => r.Id == m.RegistrationId && r.EventId == ev.Id))
            .GroupBy(m => m.Kind).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(20, kinds.Single(k => k.Key == MailKind.Confirmation).Count);
        Assert.Equal(80, kinds.Single(k => k.Key == MailKind.WaitingList).Count);
        var (_, after) = await clients[1].GetTextAsync($"/veranstaltungen/{slug}");
        Assert.DoesNotContain("20 von 20 frei", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_fetched_from_one_instance_posts_to_the_other_and_staff_stay_logged_in_on_both()
    {
        const string slug = "formular-wechsel";
        await _a.ImportAsync(TestEvents.Future(slug));
        await _a.CreateStaffAsync();
        using var router = new EitherInstance(_a, _b);
        using var client = new HttpClient(new CookieContainerHandler(new CookieContainer()) { InnerHandler = router }) { BaseAddress = new Uri("http://localhost") };

        router.Target = _a;
        var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(slug));
        router.Target = _b;
        using var signUp = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(slug), SignUpForm.Valid("wechsel@kommune.de"), token);

        Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);
        Assert.StartsWith("/anmeldung/", signUp.Headers.Location!.OriginalString, StringComparison.Ordinal);

        router.Target = _a;
        using (var login = await client.LogInAsync(StaffSession.Email, StaffSession.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        await client.EnrolAsync(_a);
        router.Target = _b;
        using var list = await client.GetAsync($"/intern/veranstaltungen/{slug}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("wechsel@kommune.de", await list.TextAsync(), StringComparison.Ordinal);
        // The key ring lives in the database, not beside one instance.
        Assert.True(await _b.WithDbAsync(db => ((PostgreSqlDbContext)db).DataProtectionKeys.AnyAsync(TestContext.Current.CancellationToken)));
        Assert.False(Directory.Exists(Path.Combine(_a.Folder, "keys")) && Directory.EnumerateFiles(Path.Combine(_a.Folder, "keys"), "key-*.xml").Any());
    }

    [Fact]
    public async Task One_instance_killed_in_a_rush_loses_no_accepted_sign_up_and_every_mail_goes_out_once()
    {
        const string slug = "absturz-im-ansturm";
        await _a.ImportAsync(TestEvents.Future(slug));
        var smtpPort = Smtp.FreePort();
        using var smtp = Smtp.Start(smtpPort);
        var connectionString = _a.Services.GetRequiredService<DatabaseSettings>().ConnectionString;
        using var first = SiteProcess.Start(_a.Folder, "a", connectionString, smtpPort);
        using var second = SiteProcess.Start(_a.Folder, "b", connectionString, smtpPort);
        await Task.WhenAll(first.ReadyAsync(), second.ReadyAsync());

        var accepted = new ConcurrentBag<string>();
        var acceptedBySecondAfterKill = 0;
        var refusedBySecondAfterKill = 0;
        var killed = false;
        var counter = 0;
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var instance = w % 2 == 0 ? first : second;
            using var client = instance.CreateClient();
            var token = await SignUpForm.GetAntiforgeryTokenAsync(client, SignUpForm.FormUrl(slug));
            while (accepted.Count < 120)
            {
                var email = $"ansturm{Interlocked.Increment(ref counter)}@kommune.de";
                var afterKill = Volatile.Read(ref killed);
                try
                {
                    using var response = await SignUpForm.PostAsync(client, SignUpForm.FormUrl(slug), SignUpForm.Valid(email), token);
                    if (response.StatusCode == HttpStatusCode.SeeOther)
                    {
                        accepted.Add(email);
                        if (afterKill && instance == second)
                        {
                            Interlocked.Increment(ref acceptedBySecondAfterKill);
                        }
                    }
                    else if (afterKill && instance == second)
                    {
                        Interlocked.Increment(ref refusedBySecondAfterKill);
                    }
                }
                catch (HttpRequestException) when (instance == first && Volatile.Read(ref killed))
                {
                    return; // the instance is gone; its clients stop, as a load balancer would take it out
                }

                if (instance == first && accepted.Count >= 40 && !Volatile.Read(ref killed))
                {
                    Volatile.Write(ref killed, true);
                    first.Kill();
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(workers);

        Assert.True(killed);
        Assert.True(acceptedBySecondAfterKill > 0, "Die zweite Instanz hat nach dem Absturz nichts mehr angenommen.");
        Assert.Equal(0, refusedBySecondAfterKill);
        var stored = await _a.WithDbAsync(db => db.Registrations.Where(r => r.Event.Slug == slug).Select(r => r.EmailNormalized).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Empty(accepted.Except(stored));

        // The survivor sends everything, also what the dead instance had claimed, once its lease ran out.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && await PendingAsync() > 0)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await PendingAsync());
        var received = smtp.ReceivedEmail.Select(m => Mails.Parse(m.Data)).ToList();
        var byMessageId = received.GroupBy(m => m.MessageId).ToList();
        Assert.Equal(stored.Count, byMessageId.Count);
        Assert.Equal(stored.Order(), received.Select(m => m.To.Mailboxes.Single().Address).Distinct().Order());
        // At-least-once: only the batch the dead instance was sending may go out again, with the same Message-IDs.
        Assert.True(received.Count - byMessageId.Count <= MailOutbox.BatchSize, $"{received.Count - byMessageId.Count} Mails doppelt versandt.");

        Task<int> PendingAsync() => _a.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending, TestContext.Current.CancellationToken));
    }

    /// <summary>One HTTP client whose requests go to whichever instance <see cref="Target"/> names, cookies kept across both.</summary>
    private sealed class EitherInstance(SiteFactory a, SiteFactory b) : HttpMessageHandler
    {
        private readonly SiteFactory _first = a;
        private readonly HttpMessageInvoker _a = new(a.Server.CreateHandler());
        private readonly HttpMessageInvoker _b = new(b.Server.CreateHandler());

        public SiteFactory? Target { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (Target == _first ? _a : _b).SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _a.Dispose();
                _b.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The built site as a process of its own, in Production, on a free loopback port.</summary>
    private sealed class SiteProcess : IDisposable
    {
        private readonly Process _process;

        private SiteProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static SiteProcess Start(string folder, string name, string connectionString, int smtpPort)
        {
            var contentRoot = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
            var address = new Uri($"http://127.0.0.1:{Smtp.FreePort()}");
            var info = SiteCommand.StartInfo(
                contentRoot,
                ("ASPNETCORE_ENVIRONMENT", "Production"),
                ("ASPNETCORE_URLS", address.ToString()),
                ("Database__Provider", "PostgreSQL"),
                ("ConnectionStrings__CdoForum", connectionString),
                ("Site__PublicUrl", "https://cdo-forum.example.de"),
                ("Registrations__TokenSecret", "ein-geheimnis-das-alle-instanzen-teilen-0123456789"),
                ("RateLimits__SignUpsPerMinutePerClient", "100000"),
                ("Mail__Smtp__Host", "127.0.0.1"),
                ("Mail__Smtp__Port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Mail__Smtp__Security", "None"),
                ("Mail__Smtp__TimeoutSeconds", "5"),
                ("Mail__OutboxLeaseSeconds", "3"),
                ("Logging__LogLevel__Default", "Warning"));
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new SiteProcess(process, address);
        }

        public HttpClient CreateClient() =>
            new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Address };

        public async Task ReadyAsync()
        {
            using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (DateTime.UtcNow < deadline)
            {
                Assert.False(_process.HasExited, $"Die Instanz endete beim Start mit {(_process.HasExited ? _process.ExitCode : 0)}.");
                try
                {
                    using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            Assert.Fail("Die Instanz antwortete nicht innerhalb von zwei Minuten.");
        }

        public void Kill() => _process.Kill(entireProcessTree: true);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
