using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;

namespace Hagenow.CdoForum.Tests;

/// <summary>One site for the class (after the seed event); tests that need another day start a site of their own.</summary>
public sealed class EventPageTests(SharedSite shared) : IClassFixture<SharedSite>
{
    private readonly SiteFactory _site = shared;

    [Fact]
    public async Task Event_page_shows_every_fact_of_the_seed()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/veranstaltungen/cdo-forum-2026-03-11");

        Assert.Equal(HttpStatusCode.OK, status);
        string[] facts =
        [
            "CDO-Forum | 11. März 2026",
            "Digitaler Experimentierraum in der Bibliothek Hagenow",
            "Hintergrund und Ziel",
            "Bestandteil des Smart City Konzepts des Modellprojekts Smart Cities (MPSC) Hagenow ist ein digitaler Experimentierraum.",
            "hervorragende Kontakte zu allen Kultur-Bildungseinrichtungen vor Ort – was lag da näher",
            "als aktiver Lernort für die digitale Welt, von dem Menschen generationsübergreifend profitieren.",
            "Welche Voraussetzungen mussten erfüllt werden, welche Vor- und Nachteile hat eine solche Lösung",
            "die Claudia Kaltenbach, Leiterin der Stadtbibliothek Hagenow, Ihnen gerne in der anschließenden Diskussionsrunde beantworten wird.",
            "Mittwoch, 11. März 2026",
            "13:00–14:00 Uhr",
            "13:00 Uhr", "Begrüßung",
            "13:05 Uhr", "Impulsvortrag „Digitaler Experimentierraum in der Bibliothek Hagenow“",
            "13:30 Uhr", "Zeit für Fragen und Diskussion",
            "13:55 Uhr", "Zusammenfassung und Ausblick",
            "14:00 Uhr", "Abschluss",
            "Frederike Haupt", "Lea-Marie Rokitta", "Claudia Kaltenbach", "MPSC Hagenow", "Leiterin der Stadtbibliothek Hagenow",
            "Koordinierungs- und Transferstelle Modellprojekte Smart Cities (KTS)",
            "c/o IQIB",
            "Institut für qualifizierende Innovationsforschung und -beratung (IQIB) GmbH, Bad Neuenahr-Ahrweiler",
            "Partnerin der KTS für Wissenstransfer",
            "+49 2641 / 973 – 560",
            "+49 30 / 67055 – 9999",
            "Bei Rückfragen zu dieser Veranstaltung wenden Sie sich bitte an das Team Wissenstransfer.",
            "smartekommunen@iqib.de",
            "www.smart-city-dialog.de",
            "Hier finden Sie weiterführende Informationen",
            "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen",
            "Bundesministerium für Landwirtschaft, Ernährung und Heimat",
        ];
        Assert.All(facts, fact => Assert.Contains(fact, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agenda_is_a_real_table_with_header_cells()
    {
        var html = await _site.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2026-03-11", TestContext.Current.CancellationToken);

        Assert.Contains("<table class=\"agenda\">", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Uhrzeit</th>", html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("<th scope=\"row\"").Length - 1);
    }

    [Fact]
    public async Task Past_event_says_it_took_place_and_offers_no_sign_up()
    {
        var (_, text) = await _site.CreateClient().GetTextAsync("/veranstaltungen/cdo-forum-2026-03-11");

        Assert.Contains("Diese Veranstaltung hat am Mittwoch, 11. März 2026 stattgefunden.", text, StringComparison.Ordinal);
        Assert.Contains("Die Anmeldung ist geschlossen.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jetzt anmelden", text, StringComparison.Ordinal);
        Assert.Contains("Programm als PDF", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_the_event_the_page_invites_to_sign_up()
    {
        using var site = new SiteFactory(SiteFactory.BeforeSeedEvent);

        var (_, text) = await site.CreateClient().GetTextAsync("/veranstaltungen/cdo-forum-2026-03-11");

        Assert.Contains("Jetzt anmelden", text, StringComparison.Ordinal);
        Assert.Contains("Anmeldung bis 11.03.2026, 13:00 Uhr", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stattgefunden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_the_event_registration_is_closed_but_it_has_not_taken_place_yet()
    {
        using var site = new SiteFactory(new DateTimeOffset(2026, 3, 11, 13, 30, 0, TimeSpan.FromHours(1)));

        var (_, text) = await site.CreateClient().GetTextAsync("/veranstaltungen/cdo-forum-2026-03-11");

        Assert.Contains("Die Anmeldung ist geschlossen.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stattgefunden", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jetzt anmelden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_page_lists_upcoming_events_before_past_ones()
    {
        await _site.ImportAsync(TestEvents.Future("cdo-forum-2027-05-12"));
        await _site.ImportAsync(TestEvents.Future("cdo-forum-2027-01-20", date: "2027-01-20"));

        var (_, text) = await _site.CreateClient().GetTextAsync("/");

        var upcoming = text.IndexOf("Kommende Veranstaltungen", StringComparison.Ordinal);
        var january = text.IndexOf("Testveranstaltung cdo-forum-2027-01-20", StringComparison.Ordinal);
        var may = text.IndexOf("Testveranstaltung cdo-forum-2027-05-12", StringComparison.Ordinal);
        var past = text.IndexOf("Vergangene Veranstaltungen", StringComparison.Ordinal);
        var seed = text.IndexOf("Digitaler Experimentierraum in der Bibliothek Hagenow", past, StringComparison.Ordinal);
        Assert.True(upcoming < january && january < may && may < past && past < seed, text);
    }

    [Fact]
    public async Task Unknown_event_gives_a_German_404_page_in_the_layout()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/veranstaltungen/gibt-es-nicht");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Seite nicht gefunden", text, StringComparison.Ordinal);
        Assert.Contains("Zum Inhalt springen", text, StringComparison.Ordinal);
        Assert.Contains("Impressum", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_address_gives_the_same_404_page()
    {
        var (status, text) = await _site.CreateClient().GetTextAsync("/irgendwas/ganz/anderes");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Seite nicht gefunden", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/veranstaltungen/cdo-forum-2026-03-11")]
    [InlineData("/impressum")]
    [InlineData("/gibt-es-nicht")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var response = await _site.CreateClient().GetAsync(url, TestContext.Current.CancellationToken);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Pages_reference_nothing_on_other_hosts()
    {
        var html = await _site.CreateClient().GetStringAsync("/veranstaltungen/cdo-forum-2026-03-11", TestContext.Current.CancellationToken);

        // Links to other sites are fine; loading resources (src=, stylesheet href=) from them is not. The canonical link
        // is absolute (Site:PublicUrl) but names the page itself and loads nothing.
        Assert.DoesNotMatch(@"src=""(https?:)?//", html);
        Assert.DoesNotMatch(@"<link(?![^>]*rel=""canonical"")[^>]+href=""(https?:)?//", html);
    }
}
