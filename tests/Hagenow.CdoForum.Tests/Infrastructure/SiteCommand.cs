using System.Diagnostics;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>The built site as a process of its own (the Web assembly), with only the settings a test gives it.</summary>
public static class SiteCommand
{
    /// <summary>
    /// `dotnet exec` of the site in <paramref name="contentRoot"/>, output redirected. Settings the test run itself may carry
    /// (environment name, Site__*) are removed first, then <paramref name="environment"/> is applied (null values skipped).
    /// </summary>
    public static ProcessStartInfo StartInfo(string contentRoot, params (string Key, string? Value)[] environment)
    {
        var assembly = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = contentRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "exec", "--runtimeconfig", Path.ChangeExtension(assembly, ".runtimeconfig.json"), assembly, "--contentRoot", contentRoot })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("Site__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            if (value is not null)
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }
}
