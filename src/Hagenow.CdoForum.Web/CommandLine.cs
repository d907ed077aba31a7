using Hagenow.CdoForum.Web.Events;
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
            "events" => await EventCommands.RunAsync(args[1..], scope.ServiceProvider, output, error),
            "staff" => await StaffCommands.RunAsync(args[1..], scope.ServiceProvider, input, output, error),
            _ => 2,
        };
    }
}
