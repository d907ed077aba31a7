using System.Collections.Concurrent;

namespace Hagenow.CdoForum.Web.Data;

/// <summary>
/// A compiled EF Core query for each engine. EF Core binds a compiled query to the model of the context it first runs
/// on, and SQLite and PostgreSQL have models of their own: a process that meets both (the tests) needs one of each.
/// </summary>
public sealed class PerEngine<TQuery>(Func<TQuery> compile)
    where TQuery : Delegate
{
    private readonly ConcurrentDictionary<Type, TQuery> _queries = new();

    public TQuery For(CdoForumDbContext db) => _queries.GetOrAdd(db.GetType(), _ => compile());
}
