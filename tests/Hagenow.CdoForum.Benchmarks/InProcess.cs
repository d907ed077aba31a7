using System.Diagnostics;
using Hagenow.CdoForum.Web.Calendar;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Documents;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Site;

namespace Hagenow.CdoForum.Benchmarks;

/// <summary>
/// The site's own classes called inside the benchmark process (the site itself is stopped by then, so nothing else
/// allocates): time per call and bytes allocated per call (GC.GetTotalAllocatedBytes, precise).
/// </summary>
internal static class InProcess
{
    public const string ProgrammeRender = "ProgrammePdf.Render (programm.pdf, no cache)";

    public static List<InProcessResult> MeasureAll(string eventJson, int attendees)
    {
        var errors = new List<string>();
        var document = EventDocument.Parse(eventJson, errors) ?? throw new InvalidOperationException(string.Join(" ", errors));
        var check = EventRules.Check(document, new EventRuleContext());
        var ev = check.Values ?? throw new InvalidOperationException(string.Join(" ", check.Errors.Select(e => e.Message)));

        var urls = new SiteUrls(new Uri("https://cdo-forum.example.de/"));
        var calendar = new EventCalendar(urls, TimeProvider.System);
        var participantMail = new ParticipantMail(urls, Microsoft.Extensions.Options.Options.Create(new MailOptions()), calendar, TimeProvider.System);
        var recipient = new MailRecipient("joerg.mueller@hagenow.de", "Jörg", "Müller-Lüdenscheidt", new Uri("https://cdo-forum.example.de/anmeldung/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));

        var fonts = PdfFonts.Locate(null);
        var programme = new ProgrammePdf(fonts);
        var eventPage = new Uri($"https://cdo-forum.example.de/veranstaltungen/{ev.Slug}");
        var attendeeList = new AttendeeListPdf(fonts, TimeProvider.System);
        var certificate = new CertificatePdf(fonts);
        var holder = new CertificateHolder("Jörg Müller-Lüdenscheidt", "Stadtverwaltung Hagenow, Fachbereich Digitalisierung", "Chief Digital Officer");
        var verification = new Uri("https://cdo-forum.example.de/bescheinigung/AAAAAAAAAAAAAAAAAAAAAA");
        var entries = Enumerable.Range(0, attendees)
            .Select(i => new AttendeeListEntry($"Müller-Lüdenscheidt {i}", "Jörg", $"Stadtverwaltung Gemeinde Nr. {i % 400}, Fachbereich Digitalisierung", i % 3 == 0 ? null : "Chief Digital Officer"))
            .ToList();

        return
        [
            Measure("EventCalendar.Create (termin.ics, PUBLISH)", 200, () => calendar.Create(ev, CalendarMethod.Publish).Length),
            Measure("ParticipantMail.Compose (confirmation with invite, as the outbox sends it)", 200, () =>
                participantMail.Compose(participantMail.Later(MailKind.Confirmation, recipient.Email, ev), recipient, ev).Length),
            Measure(ProgrammeRender, 20, () => programme.Render(ev, eventPage).Length),
            Measure("CertificatePdf.Render (one Teilnahmebescheinigung)", 20, () => certificate.Render(ev, holder, verification, DateTimeOffset.UnixEpoch).Length),
            Measure($"AttendeeListPdf.Render ({attendees:N0} rows)", 3, () =>
            {
                using var output = new MemoryStream();
                attendeeList.Render(ev, entries, output);
                return output.Length;
            }),
        ];
    }

    private static InProcessResult Measure(string name, int iterations, Func<long> call)
    {
        var t0 = Stopwatch.GetTimestamp();
        var output = call();
        var firstMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;

        var times = new double[iterations];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < iterations; i++)
        {
            var t = Stopwatch.GetTimestamp();
            call();
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Array.Sort(times);
        return new InProcessResult(name, iterations, firstMs, LoadResult.Percentile(times, 0.5), allocated / iterations, output);
    }
}
