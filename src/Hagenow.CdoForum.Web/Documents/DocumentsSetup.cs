using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Mail;
using Hagenow.CdoForum.Web.Registrations;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Documents;

public static class DocumentsSetup
{
    /// <summary>Programme changes reach readers within minutes; until then the ETag makes re-checks cheap.</summary>
    private const string CacheControl = "public, max-age=300";

    public static IServiceCollection AddDocuments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => PdfFonts.Locate(configuration["Documents:FontDirectory"]));
        services.AddSingleton(sp => new ProgrammePdf(sp.GetRequiredService<PdfFonts>()));
        services.AddSingleton<ProgrammeDocuments>();
        services.AddSingleton(sp => new AttendeeListPdf(sp.GetRequiredService<PdfFonts>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CertificatePdf(sp.GetRequiredService<PdfFonts>()));
        services.AddScoped<CertificateMail>();
        services.AddScoped<Certificates>();
        services.AddHostedService<FontsStartupReport>();
        services.AddHealthChecks().AddCheck<FontsHealthCheck>("fonts");
        return services;
    }

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SitePaths.ProgrammePdfRoute, GetProgrammeAsync);
        endpoints.MapGet(SitePaths.CertificatePdfRoute, GetCertificateAsync);
        return endpoints;
    }

    /// <summary>The participant's own certificate, through their secret link; 404 for anyone who gets none.</summary>
    private static async Task<IResult> GetCertificateAsync(
        string token,
        HttpContext context,
        RegistrationService registrations,
        Certificates certificates,
        PdfFonts fonts,
        CancellationToken cancellationToken)
    {
        var registration = await registrations.FindByTokenAsync(token, cancellationToken);
        if (registration is null)
        {
            return Results.NotFound();
        }

        if (fonts.Set is null)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var file = await certificates.ForRegistrationAsync(registration.Id, cancellationToken);
        if (file is null)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Robots-Tag"] = "noindex";
        return Results.File(file.Pdf, "application/pdf", file.FileName);
    }

    private static async Task<IResult> GetProgrammeAsync(
        string slug,
        HttpContext context,
        CdoForumDbContext db,
        SiteUrls urls,
        PdfFonts fonts,
        ProgrammeDocuments documents,
        CancellationToken cancellationToken)
    {
        var sequence = await db.Events.AsNoTracking().Public().Where(e => e.Slug == slug).Select(e => (int?)e.Sequence)
            .SingleOrDefaultAsync(cancellationToken);
        if (sequence is null)
        {
            return Results.NotFound();
        }

        var eventPage = urls.Event(slug);
        var etag = ProgrammeDocuments.ETag(slug, sequence.Value, eventPage);
        var headers = context.Response.Headers;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
        {
            headers.ETag = etag;
            headers.CacheControl = CacheControl;
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (fonts.Set is null)
        {
            // Logged at start-up and reported by /healthz; the reader gets the site's error page.
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var ev = await db.Events.AsNoTracking().Public().SingleOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (ev is null)
        {
            return Results.NotFound();
        }

        var pdf = documents.Get(ev, eventPage);
        headers.ETag = ProgrammeDocuments.ETag(ev, eventPage);
        headers.CacheControl = CacheControl;
        headers.ContentDisposition = $"inline; filename={ProgrammeDocuments.FileName(ev)}";
        return Results.Bytes(pdf, "application/pdf");
    }
}
