using System.Globalization;

namespace Hagenow.CdoForum.Benchmarks;

internal sealed record BenchOptions
{
    public int Concurrency { get; init; } = 16;

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(10);

    public int ExportRows { get; init; } = 5_000;

    /// <summary>An already published site folder; without it the benchmark publishes the web project (Release) itself.</summary>
    public string? SiteFolder { get; init; }

    public string? OutFile { get; init; }

    public bool KeepTempFolder { get; init; }

    /// <summary>Skip the PostgreSQL phase (PostgreSqlPhase.cs) even when initdb is installed.</summary>
    public bool SkipPostgreSql { get; init; }

    /// <summary>Probe mode: only load phases of GETs of <see cref="ProbePaths"/> against a site that already runs here.</summary>
    public Uri? ProbeUrl { get; init; }

    public IReadOnlyList<string> ProbePaths { get; init; } = [];

    public const string Usage = """
        Hagenow.CdoForum.Benchmarks: measures the site against the limits of this machine.
          --out FILE           write the JSON here (default: BenchmarkResults/bench-<time>.json)
          --concurrency N      concurrent virtual users (default 16)
          --seconds N          measured seconds per load phase (default 10)
          --warmup N           warm-up seconds per load phase (default 3)
          --site FOLDER        use an already published site instead of publishing one
          --keep               keep the temp folder (database, mails, site log)
          --no-postgresql      skip the PostgreSQL phase (it runs when PostgreSQL's initdb is installed)
          --probe URL PATHS    only load on PATHS (comma-separated; signup:SLUG posts the sign-up form) of a site already running at URL (loopback)
        """;

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                options = args[i] switch
                {
                    "--out" => options with { OutFile = Path.GetFullPath(Next()) },
                    "--concurrency" => options with { Concurrency = PositiveInt(Next(), 1, 512) },
                    "--seconds" => options with { Measure = TimeSpan.FromSeconds(PositiveInt(Next(), 1, 120)) },
                    "--warmup" => options with { WarmUp = TimeSpan.FromSeconds(PositiveInt(Next(), 0, 60)) },
                    "--site" => options with { SiteFolder = Path.GetFullPath(Next()) },
                    "--keep" => options with { KeepTempFolder = true },
                    "--no-postgresql" => options with { SkipPostgreSql = true },
                    "--probe" => options with { ProbeUrl = LoopbackUrl(Next()), ProbePaths = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                    "--help" or "-h" => throw new ArgumentException(""),
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
                };
            }
            catch (ArgumentException ex)
            {
                if (ex.Message.Length > 0)
                {
                    error.WriteLine($"Error: {ex.Message}");
                }

                error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }

    private static Uri LoopbackUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.IsLoopback
            ? uri
            : throw new ArgumentException($"'{text}' is not an http URL on a loopback address.");

    private static int PositiveInt(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"'{text}' is not a number from {min} to {max}.");
}
