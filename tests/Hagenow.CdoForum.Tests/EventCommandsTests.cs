using Hagenow.CdoForum.Web;
using Hagenow.CdoForum.Web.Events;
using System.Text.Json.Nodes;
using Hagenow.CdoForum.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

public sealed class EventCommandsTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public EventCommandsTests() => _ = _site.Services; // starts the site: migrations and seed

    public void Dispose() => _site.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, _site.Services, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string WriteFile(string content)
    {
        var path = Path.Combine(_site.Folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    private Task<string> SnapshotAsync() => _site.WithDbAsync(async db =>
        string.Join("\n", (await db.Events.AsNoTracking().OrderBy(e => e.Slug).ToListAsync()).Select(e => $"{e.Sequence}:{Web.Events.EventDocument.FromEvent(e).ToJson()}")));

    [Fact]
    public async Task Export_prints_the_seed_as_JSON_with_the_required_fields()
    {
        var (exit, json, _) = await RunAsync("events", "export", TestEvents.SeedSlug);

        Assert.Equal(0, exit);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("cdo-forum-2026-03-11", (string?)node["slug"]);
        Assert.Equal("2026-03-11", (string?)node["date"]);
        Assert.Equal("13:00", (string?)node["start"]);
        Assert.Equal("14:00", (string?)node["end"]);
        Assert.Null(node["capacity"]);
        Assert.True(node.AsObject().ContainsKey("capacity"));
        Assert.Equal(5, node["agenda"]!.AsArray().Count);
        Assert.Equal("Claudia Kaltenbach", (string?)node["agenda"]![1]!["speakers"]![0]!["name"]);
    }

    [Fact]
    public async Task Export_then_import_changes_nothing()
    {
        var before = await SnapshotAsync();
        var (_, json, _) = await RunAsync("events", "export", TestEvents.SeedSlug);

        var (exit, output, _) = await RunAsync("events", "import", WriteFile(json));

        Assert.Equal(0, exit);
        Assert.Contains("unverändert", output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        var (_, again, _) = await RunAsync("events", "export", TestEvents.SeedSlug);
        Assert.Equal(json, again);
    }

    [Fact]
    public async Task Import_of_a_new_slug_creates_the_event_and_a_changed_one_updates_it_with_a_new_version()
    {
        var document = TestEvents.Future("cdo-forum-2027-05-12", capacity: 40);
        var (created, createdText, _) = await RunAsync("events", "import", WriteFile(document.ToJson()));
        var (updated, updatedText, _) = await RunAsync("events", "import", WriteFile((document with { Capacity = 60 }).ToJson()));

        Assert.Equal(0, created);
        Assert.Contains("angelegt", createdText, StringComparison.Ordinal);
        Assert.Equal(0, updated);
        Assert.Contains("aktualisiert (Version 1)", updatedText, StringComparison.Ordinal);
        var stored = await _site.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Slug == "cdo-forum-2027-05-12"));
        Assert.Equal(60, stored.Capacity);
        Assert.Equal(1, stored.Sequence);
    }

    public static TheoryData<string, string> BadDocuments()
    {
        var seed = TestEvents.Seed() with { Slug = "cdo-forum-2027-02-02" };
        return new TheoryData<string, string>
        {
            { "{ das ist kein JSON", "kein gültiges Veranstaltungs-JSON" },
            { "[]", "kein gültiges Veranstaltungs-JSON" },
            { (seed with { Title = null }).ToJson(), "Feld „title“: Bitte füllen Sie „Titel“ aus." },
            { (seed with { Date = null }).ToJson(), "Feld „date“: Bitte füllen Sie „Datum“ aus" },
            { (seed with { Date = "11.03.2026" }).ToJson(), "kein Datum der Form JJJJ-MM-TT" },
            { (seed with { Start = "14:00", End = "13:00" }).ToJson(), "Das Ende (13:00) liegt nicht nach dem Beginn (14:00)." },
            { (seed with { Start = "25:00" }).ToJson(), "keine Uhrzeit der Form HH:MM" },
            { (seed with { Capacity = 0 }).ToJson(), "Feld „capacity“" },
            { (seed with { Format = "im Park" }).ToJson(), "Feld „format“" },
            { (seed with { Slug = "Mit Leerzeichen" }).ToJson(), "Feld „slug“" },
            { seed.ToJson().Replace("\"title\":", "\"titel\": \"x\", \"title\":", StringComparison.Ordinal), "unbekanntes Feld" },
        };
    }

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Bad_import_is_refused_with_a_German_message_and_the_database_unchanged(string json, string expected)
    {
        var before = await SnapshotAsync();

        var (exit, _, error) = await RunAsync("events", "import", WriteFile(json));

        Assert.Equal(1, exit);
        Assert.Contains("wurde nicht importiert; die Datenbank ist unverändert", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Bad_update_of_an_existing_event_leaves_it_as_it_was()
    {
        var before = await SnapshotAsync();
        var broken = TestEvents.Seed() with { Start = "15:00" };

        var (exit, _, error) = await RunAsync("events", "import", WriteFile(broken.ToJson()));

        Assert.Equal(1, exit);
        Assert.Contains("Das Ende (14:00) liegt nicht nach dem Beginn (15:00).", error, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Export_of_an_unknown_slug_fails_with_exit_code_1()
    {
        var (exit, output, error) = await RunAsync("events", "export", "gibt-es-nicht");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("keine Veranstaltung mit dem slug „gibt-es-nicht“", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_a_missing_file_fails_with_exit_code_1()
    {
        var (exit, _, error) = await RunAsync("events", "import", Path.Combine(_site.Folder, "fehlt.json"));

        Assert.Equal(1, exit);
        Assert.Contains("kann nicht gelesen werden", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_subcommand_prints_the_usage()
    {
        var (exit, _, error) = await RunAsync("events", "delete");

        Assert.NotEqual(0, exit);
        Assert.Contains("events export SLUG", error, StringComparison.Ordinal);
    }
}
