using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

/// <summary><paramref name="Notified"/>: how many people a change mail was queued (or updated) for.</summary>
public sealed record ImportResult(bool Succeeded, bool Created, bool Changed, IReadOnlyList<string> Errors, Event? Event,
    IReadOnlyList<EventChange>? Changes = null, int Notified = 0);

/// <summary>Creates or updates an event from its JSON document (by slug); used by `events import` and the seed.</summary>
public sealed class EventImporter(CdoForumDbContext db, TimeProvider clock, IEventChangeNotifier? notifier = null)
{
    public Task<ImportResult> ImportAsync(string json, CancellationToken cancellationToken = default) => ImportAsync(json, notify: true, cancellationToken);

    /// <summary>With <paramref name="notify"/> a change of an existing event tells its registrants in the same transaction.</summary>
    public async Task<ImportResult> ImportAsync(string json, bool notify, CancellationToken cancellationToken)
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
        var factsBefore = existing is null ? null : EventFacts.Of(existing);
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

        var notified = 0;
        IReadOnlyList<EventChange> changes = factsBefore is null ? [] : EventFacts.Between(factsBefore, EventFacts.Of(target));
        if (existing is null || changed)
        {
            target.Sequence = existing is null ? 0 : target.Sequence + 1;
            target.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
            if (factsBefore is not null && notify && notifier is not null)
            {
                notified = await notifier.NotifyChangeAsync(target, factsBefore, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        return new ImportResult(true, existing is null, changed, errors, target, changes, notified);
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
