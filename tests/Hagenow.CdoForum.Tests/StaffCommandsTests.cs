using Hagenow.CdoForum.Web;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests;

[Trait("Engines", "Both")]
public sealed class StaffCommandsTests : IDisposable
{
    private const string GoodPassword = "Wellenbrecher Apfelbaum Notizbuch";

    private readonly SiteFactory _site = new();

    public StaffCommandsTests() => _ = _site.Services;

    public void Dispose() => _site.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, _site.Services, input, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<int> AccountCountAsync() => _site.WithDbAsync(db => db.Users.CountAsync(TestContext.Current.CancellationToken));

    [Fact]
    public async Task Add_creates_an_account_that_can_log_in()
    {
        var (exit, output, error) = await RunAsync(GoodPassword + "\n", "staff", "add", "--email", "anna.schmidt@kts.example.de");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Konto für anna.schmidt@kts.example.de angelegt", output, StringComparison.Ordinal);
        using var login = await _site.CreatePlainClient().LogInAsync("anna.schmidt@kts.example.de", GoodPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        var audit = await _site.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditAction.StaffAdded.Code, TestContext.Current.CancellationToken));
        Assert.Equal(AuditLog.CommandLineActor, audit.Actor);
    }

    public static TheoryData<string[], string, string> BadAdds() => new()
    {
        { ["staff", "add"], GoodPassword, "Bitte geben Sie die E-Mail-Adresse des Kontos mit --email an" },
        { ["staff", "add", "--email"], GoodPassword, "Bitte geben Sie die E-Mail-Adresse des Kontos mit --email an" },
        { ["staff", "add", "--email", "keine-adresse"], GoodPassword, "„keine-adresse“ ist keine gültige E-Mail-Adresse." },
        { ["staff", "add", "--email", "name@localhost"], GoodPassword, "„name@localhost“ ist keine gültige E-Mail-Adresse." },
        { ["staff", "add", "--email", "Anna <anna@example.de>"], GoodPassword, "ist keine gültige E-Mail-Adresse." },
        { ["staff", "add", "--email", "anna@example.de", "--admin"], GoodPassword, "Unbekannte Angabe „--admin“" },
        { ["staff", "add", "--email", "anna@example.de"], "", "Es wurde kein Passwort auf der Standardeingabe übergeben." },
        { ["staff", "add", "--email", "anna@example.de"], "kurz", "Das Passwort ist zu kurz: Es muss mindestens 12 Zeichen lang sein." },
        { ["staff", "add", "--email", "anna@example.de"], "Passwort2026!", "Das Passwort ist zu leicht zu erraten" },
        { ["staff", "add", "--email", "anna@example.de"], "123456789012", "Das Passwort ist zu leicht zu erraten" },
        { ["staff", "add", "--email", "anna@example.de"], "qwertzuiop12", "Das Passwort ist zu leicht zu erraten" },
        { ["staff", "add", "--email", "anna@example.de"], "anna@example.de!", "Das Passwort ist zu leicht zu erraten" },
        { ["staff", "add", "--email", "anna@example.de"], "aaaaaaaaaaaaaaa", "mindestens 5 verschiedene Zeichen" },
    };

    [Theory]
    [MemberData(nameof(BadAdds))]
    public async Task Bad_add_is_refused_with_a_German_message_and_exit_code_1(string[] args, string password, string expected)
    {
        var (exit, output, error) = await RunAsync(password + "\n", args);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(0, await AccountCountAsync());
    }

    [Fact]
    public async Task Adding_an_existing_account_again_is_refused_and_keeps_the_old_password()
    {
        await RunAsync(GoodPassword + "\n", "staff", "add", "--email", "anna@example.de");

        var (exit, _, error) = await RunAsync("Ganz anderes neues Passwort\n", "staff", "add", "--email", "ANNA@example.de");

        Assert.Equal(1, exit);
        Assert.Contains("Es gibt bereits ein Konto für ANNA@example.de", error, StringComparison.Ordinal);
        Assert.Equal(1, await AccountCountAsync());
        using var login = await _site.CreatePlainClient().LogInAsync("anna@example.de", GoodPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
    }

    [Fact]
    public async Task List_prints_every_account_and_marks_locked_ones()
    {
        Assert.Contains("Es gibt noch keine Konten", (await RunAsync("", "staff", "list")).Out, StringComparison.Ordinal);
        await RunAsync(GoodPassword + "\n", "staff", "add", "--email", "bernd@example.de");
        await RunAsync(GoodPassword + "\n", "staff", "add", "--email", "anna@example.de");
        // Wrong second-factor codes count toward Identity's lockout (wrong passwords only bring a delay): five of them.
        await using (var scope = _site.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var bernd = await users.FindByEmailAsync("bernd@example.de");
            for (var i = 0; i < 5; i++)
            {
                await users.AccessFailedAsync(bernd!);
            }
        }

        var (exit, output, _) = await RunAsync("", "staff", "list");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("anna@example.de", lines[0]);
        Assert.StartsWith("bernd@example.de (nach Fehlversuchen gesperrt bis ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_deletes_the_account_ends_its_open_session_and_it_can_no_longer_log_in()
    {
        await RunAsync(GoodPassword + "\n", "staff", "add", "--email", "anna@example.de");
        var session = _site.CreatePlainClient();
        using (var _ = await session.LogInAsync("anna@example.de", GoodPassword))
        using ((await session.EnrolAsync(_site)).Response)
        {
        }

        using (var before = await session.GetAsync("/intern", TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, before.StatusCode);
        }

        var (exit, output, _) = await RunAsync("", "staff", "remove", "--email", "anna@example.de");
        _site.Clock.Advance(TimeSpan.FromMinutes(2));
        using var afterRemoval = await session.GetAsync("/intern", TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains("Konto für anna@example.de entfernt", output, StringComparison.Ordinal);
        Assert.Equal(0, await AccountCountAsync());
        Assert.Equal(System.Net.HttpStatusCode.Redirect, afterRemoval.StatusCode);
        Assert.StartsWith("http://localhost/intern/anmelden", afterRemoval.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var login = await _site.CreatePlainClient().LogInAsync("anna@example.de", GoodPassword);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditAction.StaffRemoved.Code, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Remove_of_an_unknown_account_fails_with_exit_code_1()
    {
        var (exit, _, error) = await RunAsync("", "staff", "remove", "--email", "niemand@example.de");

        Assert.Equal(1, exit);
        Assert.Contains("Es gibt kein Konto für niemand@example.de.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("delete")]
    public async Task Missing_or_unknown_subcommand_prints_the_usage(params string[] rest)
    {
        var (exit, _, error) = await RunAsync("", ["staff", .. rest]);

        Assert.Equal(1, exit);
        Assert.Contains("staff add --email E-MAIL", error, StringComparison.Ordinal);
    }
}
