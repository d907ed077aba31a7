using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Events;

/// <summary>What the public may see. Every public page, file and feed starts from here, so a draft never leaks.</summary>
public static class EventQueries
{
    /// <summary>Published events only: the start page, event page, sign-up, termin.ics, programm.pdf and the feeds.</summary>
    public static IQueryable<Event> Public(this IQueryable<Event> events) => events.Where(e => e.Published);

    /// <summary>
    /// The published event with this slug, untracked, or null: the sign-up form's read on every POST. Compiled, because
    /// the profile of a sign-up rush showed EF Core's parameter extraction of the ordinary query creating a dynamic
    /// method per execution (JIT work, and the finalizer thread busy collecting them).
    /// </summary>
    public static Task<Event?> PublicBySlugAsync(CdoForumDbContext db, string slug) => PublicBySlug.For(db)(db, slug);

    private static readonly PerEngine<Func<CdoForumDbContext, string, Task<Event?>>> PublicBySlug = new(() =>
        EF.CompileAsyncQuery((CdoForumDbContext db, string slug) => db.Set<Event>().AsNoTracking().Where(e => e.Published).SingleOrDefault(e => e.Slug == slug)));
}
