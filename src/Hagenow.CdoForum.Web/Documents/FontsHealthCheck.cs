using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>"fonts": the PDFs can only be rendered with a TrueType family to embed.</summary>
internal sealed class FontsHealthCheck(PdfFonts fonts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(fonts));

    internal static HealthCheckResult Check(PdfFonts fonts)
    {
        if (fonts.Set is not { } set)
        {
            return HealthCheckResult.Unhealthy(fonts.MissingMessage);
        }

        var found = $"PDF-Schrift {set.Family} aus {set.Folder}";
        return fonts.ConfiguredFolder is { } configured && !fonts.ConfiguredFolderUsed
            ? HealthCheckResult.Degraded($"Documents:FontDirectory ({configured}) enthält keine nutzbaren Schriften; {found}")
            : HealthCheckResult.Healthy(found);
    }
}

/// <summary>Says at start-up which fonts the PDFs use, or clearly that there are none.</summary>
internal sealed partial class FontsStartupReport(PdfFonts fonts, ILogger<FontsStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var result = FontsHealthCheck.Check(fonts);
        switch (result.Status)
        {
            case HealthStatus.Unhealthy:
                LogMissing(logger, result.Description);
                break;
            case HealthStatus.Degraded:
                LogDegraded(logger, result.Description);
                break;
            default:
                LogFound(logger, result.Description);
                break;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "Programm-PDF nicht möglich: {Description}")]
    private static partial void LogMissing(ILogger logger, string? description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Description}")]
    private static partial void LogDegraded(ILogger logger, string? description);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Description}")]
    private static partial void LogFound(ILogger logger, string? description);
}
