using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Staff;

namespace Hagenow.CdoForum.Web;

/// <summary>Commands given before the web host starts (`events …`, `staff …`). Each prints German errors and exits non-zero on bad input.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["events", "staff"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    /// <summary>Commands keep standard output for their result: logs go to standard error, and only warnings.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public static Task<int> RunAsync(string[] args, IServiceProvider services) =>
        RunAsync(args, services, Console.In, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        return args[0] switch
        {
            "events" when args.Length > 1 && args[1] == "cancel" => await CancelEventAsync(args[2..], scope.ServiceProvider, output, error),
            "events" => await EventCommands.RunAsync(args[1..], scope.ServiceProvider, output, error),
            "staff" => await StaffCommands.RunAsync(args[1..], scope.ServiceProvider, input, output, error),
            _ => 2,
        };
    }

    /// <summary>`events cancel SLUG [--reason TEXT]`: here, because the Absage mails belong to Registrations.</summary>
    private static async Task<int> CancelEventAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        (string Slug, string? Reason)? parsed = args switch
        {
            [var slug] when !slug.StartsWith('-') => (slug, null),
            [var slug, "--reason", var reason] when !slug.StartsWith('-') => (slug, reason),
            ["--reason", var reason, var slug] when !slug.StartsWith('-') => (slug, reason),
            _ => null,
        };
        if (parsed is not { } command)
        {
            await error.WriteLineAsync("Unbekannter oder unvollständiger Befehl.");
            await error.WriteLineAsync(EventCommands.Usage);
            return 2;
        }

        var result = await services.GetRequiredService<EventChangeNotices>()
            .CancelEventAsync(command.Slug, command.Reason, AuditLog.CommandLineActor, CancellationToken.None);
        switch (result.Outcome)
        {
            case EventCancelOutcome.Cancelled:
                await output.WriteLineAsync($"Veranstaltung „{command.Slug}“ abgesagt. {result.Notified} {(result.Notified == 1 ? "Person wird" : "Personen werden")} per E-Mail benachrichtigt.");
                return 0;
            case EventCancelOutcome.NotFound:
                await error.WriteLineAsync($"Fehler: Es gibt keine Veranstaltung mit dem slug „{command.Slug}“. Vorhandene zeigt „events list“.");
                return 1;
            case EventCancelOutcome.AlreadyCancelled:
                await error.WriteLineAsync($"Fehler: Die Veranstaltung „{command.Slug}“ ist bereits abgesagt; niemand wurde erneut benachrichtigt.");
                return 1;
            case EventCancelOutcome.HasEnded:
                await error.WriteLineAsync($"Fehler: Die Veranstaltung „{command.Slug}“ hat bereits stattgefunden und kann nicht abgesagt werden.");
                return 1;
            default:
                await error.WriteLineAsync($"Fehler: {result.Error}");
                return 1;
        }
    }
}
