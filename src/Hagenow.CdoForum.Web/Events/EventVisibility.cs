using System.Linq.Expressions;
using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>
/// The one place that decides which events the public sees: the start page lists them, the sitemap names them, and only
/// their pages carry description, canonical link, preview tags and JSON-LD. Drafts (Event.Published, coming) are added
/// to <see cref="Public"/> and nowhere else.
/// </summary>
public static class EventVisibility
{
    public static readonly Expression<Func<Event, bool>> Public = e => true;

    private static readonly Func<Event, bool> IsPublicCompiled = Public.Compile();

    public static bool IsPublic(this Event e) => IsPublicCompiled(e);

    extension(CdoForumDbContext db)
    {
        /// <summary>Public events, untracked.</summary>
        public IQueryable<Event> PublicEvents => db.Events.AsNoTracking().Where(Public);
    }
}
