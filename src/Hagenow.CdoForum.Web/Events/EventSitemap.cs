using System.Globalization;
using System.Text;
using System.Xml;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>/sitemap.xml: the start page and every public event page with its last change. Nothing private.</summary>
public static class EventSitemap
{
    private const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SitePaths.Sitemap, async (CdoForumDbContext db, SiteUrls urls, HttpContext context) =>
        {
            var events = await db.Events.AsNoTracking().Public()
                .OrderByDescending(e => e.Date)
                .Select(e => new { e.Slug, e.UpdatedAtUtc })
                .ToListAsync(context.RequestAborted);

            using var buffer = new MemoryStream();
            using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("urlset", Namespace);
                Url(xml, urls.Base, lastModified: null);
                foreach (var e in events)
                {
                    Url(xml, urls.Event(e.Slug), DateTime.SpecifyKind(e.UpdatedAtUtc, DateTimeKind.Utc));
                }

                xml.WriteEndElement();
            }

            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(buffer.ToArray(), "application/xml; charset=utf-8");
        });
        return endpoints;
    }

    private static void Url(XmlWriter xml, Uri location, DateTime? lastModified)
    {
        xml.WriteStartElement("url", Namespace);
        xml.WriteElementString("loc", Namespace, location.AbsoluteUri);
        if (lastModified is { } changed)
        {
            xml.WriteElementString("lastmod", Namespace, changed.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        xml.WriteEndElement();
    }
}
