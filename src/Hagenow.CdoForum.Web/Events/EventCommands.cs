using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>`events export SLUG` and `events import FILE`.</summary>
public static class EventCommands
{
    public const string Usage = """
        Aufruf:
          events export SLUG                 gibt die Veranstaltung als JSON aus
          events import DATEI [--no-notify]  legt eine Veranstaltung aus JSON an oder aktualisiert sie (anhand des slug);
                                             ändern sich Datum, Uhrzeit, Format, Ort oder Zugang, erhalten alle
                                             Angemeldeten eine E-Mail mit aktualisierter Einladung (außer mit --no-notify)
          events cancel SLUG [--reason TEXT] sagt die Veranstaltung ab und benachrichtigt alle Angemeldeten
          events list                        listet alle Veranstaltungen
        """;

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case ["export", var slug]:
                return await ExportAsync(slug, services, output, error);
            case ["import", var file]:
                return await ImportAsync(file, notify: true, services, output, error);
            case ["import", var quietFile, "--no-notify"]:
                return await ImportAsync(quietFile, notify: false, services, output, error);
            case ["import", "--no-notify", var quietFile]:
                return await ImportAsync(quietFile, notify: false, services, output, error);
            case ["list"]:
                return await ListAsync(services, output);
            default:
                await error.WriteLineAsync("Unbekannter oder unvollständiger Befehl.");
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> ExportAsync(string slug, IServiceProvider services, TextWriter output, TextWriter error)
    {
        var db = services.GetRequiredService<CdoForumDbContext>();
        var found = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Slug == slug);
        if (found is null)
        {
            await error.WriteLineAsync($"Fehler: Es gibt keine Veranstaltung mit dem slug „{slug}“. Vorhandene zeigt „events list“.");
            return 1;
        }

        await output.WriteLineAsync(EventDocument.FromEvent(found).ToJson());
        return 0;
    }

    private static async Task<int> ImportAsync(string file, bool notify, IServiceProvider services, TextWriter output, TextWriter error)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await error.WriteLineAsync($"Fehler: Die Datei „{file}“ kann nicht gelesen werden ({ex.GetType().Name}).");
            return 1;
        }

        var result = await services.GetRequiredService<EventImporter>().ImportAsync(json, Audit.AuditLog.CommandLineActor, notify, CancellationToken.None);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"Fehler: „{file}“ wurde nicht importiert; die Datenbank ist unverändert.");
            foreach (var message in result.Errors)
            {
                await error.WriteLineAsync($"  - {message}");
            }

            return 1;
        }

        var e = result.Event!;
        var what = result.Created ? "angelegt" : result.Changed ? $"aktualisiert (Version {e.Sequence})" : "unverändert";
        await output.WriteLineAsync($"Veranstaltung „{e.Slug}“ {what}: {e.Title}, {EventTexts.When(e)}.");
        if (result.Changes is { Count: > 0 } changes)
        {
            await output.WriteLineAsync($"Geändert: {string.Join(", ", changes.Select(c => $"{c.Label} ({c.Old} → {c.New})"))}.");
            await output.WriteLineAsync(notify
                ? $"{result.Notified} {(result.Notified == 1 ? "Person wird" : "Personen werden")} per E-Mail benachrichtigt."
                : "Niemand wird benachrichtigt (--no-notify).");
        }

        return 0;
    }

    private static async Task<int> ListAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<CdoForumDbContext>();
        var events = await db.Events.AsNoTracking().OrderBy(e => e.Date).ThenBy(e => e.StartTime).ToListAsync();
        foreach (var e in events)
        {
            await output.WriteLineAsync($"{e.Slug}\t{EventTexts.When(e)}\t{e.Title}");
        }

        return 0;
    }
}
