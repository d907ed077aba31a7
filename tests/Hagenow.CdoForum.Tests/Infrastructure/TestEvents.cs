using Hagenow.CdoForum.Web.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Builds events for tests from the seed's JSON, changing only what a test cares about.</summary>
public static class TestEvents
{
    public const string SeedSlug = "cdo-forum-2026-03-11";

    public static EventDocument Seed()
    {
        var assembly = typeof(EventImporter).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"{SeedSlug}.json", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        var errors = new List<string>();
        return EventDocument.Parse(reader.ReadToEnd(), errors) ?? throw new InvalidOperationException(string.Join(" ", errors));
    }

    /// <summary>A copy of the seed event on another day, by default well after "today" in tests, so registration is open.</summary>
    public static EventDocument Future(string slug = "cdo-forum-2027-05-12", int? capacity = null, string date = "2027-05-12") =>
        Seed() with { Slug = slug, Date = date, Capacity = capacity, Title = $"Testveranstaltung {slug}" };

    /// <summary>Imports the event through the same importer the command line uses; fails the test on errors.</summary>
    public static async Task<Event> ImportAsync(this SiteFactory site, EventDocument document)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EventImporter>().ImportAsync(document.ToJson());
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Event!;
    }
}
