using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

public sealed record ImportResult(bool Succeeded, bool Created, bool Changed, IReadOnlyList<string> Errors, Event? Event,
    IReadOnlyList<EventChange>? Changes = null, int Notified = 0);

/// <summary>
/// Creates or updates an event from its JSON document (by slug); used by `events import` and the seed. The document goes
/// through <see cref="EventRules"/>, the same rules as the editor, inside one write: nothing is half-applied.
/// </summary>
public sealed class EventImporter(CdoForumDbContext db, IEventHeadcount headcount, TimeProvider clock, IEventChangeNotifier? notifier = null)
{
    /// <summary>An import without an audit entry (the seed, test data); `events import` names its actor.</summary>
    public Task<ImportResult> ImportAsync(string json, CancellationToken cancellationToken = default) =>
        ImportAsync(json, actor: null, notify: true, cancellationToken);

    /// <param name="actor">Who is recorded in the audit log; null records nothing (the seed).</param>
    /// <param name="notify">A material change of an existing event tells its registrants, in the same transaction.</param>
    public async Task<ImportResult> ImportAsync(string json, string? actor, bool notify, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        var document = EventDocument.Parse(json, errors);
        if (document is null)
        {
            return new ImportResult(false, false, false, errors, null);
        }

        await using var write = await db.BeginWriteAsync(cancellationToken);
        var slug = document.Slug?.Trim();
        var existing = slug is null ? null : await db.Events.SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        var counts = existing is null ? new EventHeadcount(0, 0) : await headcount.CountAsync(existing.Id, cancellationToken);
        var check = EventRules.Check(document, new EventRuleContext(ConfirmedCount: counts.Confirmed));
        var published = document.Published ?? true;
        if (check.IsValid && existing is { Published: true } && !published && counts.Any > 0)
        {
            errors.Add("Feld „published“: Die Veranstaltung hat schon Anmeldungen und kann nicht wieder zum Entwurf werden.");
        }

        errors.AddRange(check.Errors.Select(e => $"Feld „{e.Field}“: {e.Message}"));
        if (errors.Count > 0)
        {
            return new ImportResult(false, false, false, errors, null);
        }

        var target = existing ?? new Event { Slug = "", Series = "", Title = "" };
        var before = existing is null ? null : EventDocument.FromEvent(existing);
        var factsBefore = existing is null ? null : EventFacts.Of(existing);
        EventRules.CopyContent(check.Values!, target);
        target.Published = published;
        var changedFields = before is null ? [] : EventDocumentDiff.ChangedFields(before, EventDocument.FromEvent(target));
        if (existing is null)
        {
            db.Events.Add(target);
        }
        else if (changedFields.Count == 0)
        {
            return new ImportResult(true, false, false, errors, target);
        }

        target.Sequence = existing is null ? 0 : target.Sequence + 1;
        target.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        IReadOnlyList<EventChange> changes = factsBefore is null ? [] : EventFacts.Between(factsBefore, EventFacts.Of(target));
        var notified = factsBefore is not null && notify && notifier is not null
            ? await notifier.NotifyChangeAsync(target, factsBefore, cancellationToken)
            : 0;
        await db.SaveChangesAsync(cancellationToken);
        if (actor is not null)
        {
            AuditLog.Record(db, clock, actor, existing is null ? AuditAction.EventCreated : AuditAction.EventSaved, target.Id,
                details: existing is null ? "Import" : $"Import; geändert: {string.Join(", ", changedFields)}");
            await db.SaveChangesAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return new ImportResult(true, existing is null, true, errors, target, changes, notified);
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
            var result = await ImportAsync(await reader.ReadToEndAsync(cancellationToken), actor: null, notify: false, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Seed {name} is invalid: {string.Join(" ", result.Errors)}");
            }
        }
    }
}
