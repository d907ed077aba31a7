using System.Text;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Hagenow.CdoForum.Web.Calendar;

public static class CalendarSetup
{
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddSingleton<EventCalendar>();
        services.AddSingleton<CalendarLinks>();
        return services;
    }

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SitePaths.EventCalendarRoute, async (string slug, CdoForumDbContext db, EventCalendar calendar, HttpContext context) =>
        {
            var ev = await db.Events.AsNoTracking().Public().SingleOrDefaultAsync(e => e.Slug == slug, context.RequestAborted);
            if (ev is null)
            {
                // No body: the status-code pages show the German 404 page in the layout.
                return Results.NotFound();
            }

            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(EventCalendar.FileName(ev));
            context.Response.Headers.ContentDisposition = disposition.ToString();
            return Results.Bytes(Encoding.UTF8.GetBytes(calendar.Create(ev, CalendarMethod.Publish)), "text/calendar; charset=utf-8");
        });
        endpoints.MapGet(SitePaths.CalendarFeed, async (CdoForumDbContext db, EventCalendar calendar, TimeProvider clock, HttpContext context) =>
        {
            // Every published event of the last twelve months and the future (by its Berlin date).
            var since = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(-12);
            var events = await db.Events.AsNoTracking().Public().Where(e => e.Date >= since).ToListAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = "public, max-age=900";
            context.Response.Headers.ContentDisposition = "inline; filename=CDO-Forum.ics";
            return Results.Bytes(Encoding.UTF8.GetBytes(calendar.CreateFeed(events, "CDO-Forum (KTS Smart Cities)")), "text/calendar; charset=utf-8");
        });
        return endpoints;
    }
}
