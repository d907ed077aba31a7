using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

public sealed record ImportResult(bool Succeeded, bool Created, bool Changed, IReadOnlyList<string> Errors, Event? Event);

/// <summary>Creates or updates an event from its JSON document (by slug); used by `events import` and the seed.</summary>
public sealed class EventImporter(CdoForumDbContext db, TimeProvider clock)
{
    public async Task<ImportResult> ImportAsync(string json, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        var document = EventDocument.Parse(json, errors);
        if (document is null)
        {
            return new ImportResult(false, false, false, errors, null);
        }

        await using var write = await db.BeginWriteAsync(cancellationToken);
        var existing = document.Slug is { } slug
            ? await db.Events.SingleOrDefaultAsync(e => e.Slug == slug.Trim(), cancellationToken)
            : null;
        var target = existing ?? new Event { Slug = "", Series = "", Title = "" };
        var before = existing is null ? null : EventDocument.FromEvent(existing).ToJson();
        if (!document.TryApplyTo(target, errors))
        {
            // Nothing half-applied reaches the database: the tracked entity is thrown away with this context.
            if (existing is not null)
            {
                await db.Entry(existing).ReloadAsync(cancellationToken);
            }

            return new ImportResult(false, false, false, errors, null);
        }

        var changed = before != EventDocument.FromEvent(target).ToJson();
        if (existing is null)
        {
            db.Events.Add(target);
        }

        if (existing is null || changed)
        {
            target.Sequence = existing is null ? 0 : target.Sequence + 1;
            target.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        return new ImportResult(true, existing is null, changed, errors, target);
    }

    /// <summary>On a fresh database, creates the first event from the JSON that ships inside the site.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Events.AnyAsync(cancellationToken))
        {
            return;
        }

        var assembly = typeof(EventImporter).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Events.Seed.", StringComparison.Ordinal)).Order())
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var result = await ImportAsync(await reader.ReadToEndAsync(cancellationToken), cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Seed {name} is invalid: {string.Join(" ", result.Errors)}");
            }
        }
    }
}
