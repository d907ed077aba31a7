using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Tests;

/// <summary>A visitor always sees the current event, although the page is served from the output cache (Events/EventPageCache.cs).</summary>
public sealed class EventPageCacheTests : IDisposable
{
    private readonly SiteFactory _site = new(SiteFactory.BeforeSeedEvent);

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Second_visit_is_served_from_the_cache_until_the_event_version_changes()
    {
        await _site.ImportAsync(TestEvents.Future("cache-1"));
        var client = _site.CreateClient();
        var (_, first) = await client.GetTextAsync("/veranstaltungen/cache-1");
        Assert.Contains("Testveranstaltung cache-1", first, StringComparison.Ordinal);

        // A change that does not touch the version: the cached page stays (proves the cache is used at all).
        await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Events\" SET \"Title\" = 'Heimlich geändert' WHERE \"Slug\" = 'cache-1'", TestContext.Current.CancellationToken));
        var (_, cached) = await client.GetTextAsync("/veranstaltungen/cache-1");
        Assert.Contains("Testveranstaltung cache-1", cached, StringComparison.Ordinal);

        // A real change (new version, as `events import` makes it) shows on the next request.
        await _site.ImportAsync(TestEvents.Future("cache-1") with { Title = "Neuer Titel nach dem Import" });
        var (status, changed) = await client.GetTextAsync("/veranstaltungen/cache-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Neuer Titel nach dem Import", changed, StringComparison.Ordinal);
        Assert.DoesNotContain("Testveranstaltung cache-1", changed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cached_page_does_not_invite_to_sign_up_after_the_deadline()
    {
        await _site.ImportAsync(TestEvents.Future("cache-2", date: "2026-03-20") with { RegistrationDeadline = "2026-03-10T12:00" });
        var client = _site.CreateClient();
        var (_, open) = await client.GetTextAsync("/veranstaltungen/cache-2");
        Assert.Contains("Jetzt anmelden", open, StringComparison.Ordinal);

        _site.Clock.Advance(TimeSpan.FromDays(10)); // 11 March: past the deadline, before the event
        var (_, closed) = await client.GetTextAsync("/veranstaltungen/cache-2");
        Assert.Contains("Die Anmeldung ist geschlossen.", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("Jetzt anmelden", closed, StringComparison.Ordinal);

        _site.Clock.Advance(TimeSpan.FromDays(10)); // 21 March: the event is over
        var (_, ended) = await client.GetTextAsync("/veranstaltungen/cache-2");
        Assert.Contains("Diese Veranstaltung hat am Freitag, 20. März 2026 stattgefunden.", ended, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Free_places_are_current_after_every_sign_up()
    {
        var ev = await _site.ImportAsync(TestEvents.Future("cache-4", capacity: 2));
        var client = _site.CreateClient();
        var (_, before) = await client.GetTextAsync("/veranstaltungen/cache-4");
        Assert.Contains("<dt>Plätze</dt><dd>2 von 2 frei</dd>", before, StringComparison.Ordinal);

        await _site.AddRegistrationAsync(ev, "eins@hagenow.de");
        var (_, one) = await client.GetTextAsync("/veranstaltungen/cache-4");
        Assert.Contains("<dt>Plätze</dt><dd>1 von 2 frei</dd>", one, StringComparison.Ordinal);

        await _site.AddRegistrationAsync(ev, "zwei@hagenow.de");
        await _site.AddRegistrationAsync(ev, "drei@hagenow.de", status: Hagenow.CdoForum.Web.Registrations.RegistrationStatus.Waiting);
        var (_, full) = await client.GetTextAsync("/veranstaltungen/cache-4");
        Assert.Contains("<dt>Plätze</dt><dd>ausgebucht, Warteliste (1 Person)</dd>", full, StringComparison.Ordinal);
        Assert.Contains("Auf die Warteliste", full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_event_is_not_cached_and_appears_once_imported()
    {
        var client = _site.CreateClient();
        var (missing, _) = await client.GetTextAsync("/veranstaltungen/cache-3");
        Assert.Equal(HttpStatusCode.NotFound, missing);

        await _site.ImportAsync(TestEvents.Future("cache-3"));
        var (found, text) = await client.GetTextAsync("/veranstaltungen/cache-3");
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Contains("Testveranstaltung cache-3", text, StringComparison.Ordinal);
    }
}
