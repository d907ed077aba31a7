using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Attendees;

public enum AttendeeSort
{
    Name,
    Organisation,
    RegisteredAt,
    Status,
}

/// <summary>What the staff list shows: search in name, e-mail and organisation, a status filter, a sort and a page.</summary>
public sealed record AttendeeFilter(string? Search, RegistrationStatus? Status, AttendeeSort Sort, bool Descending, int Page);

public sealed record AttendeeRow(
    int Id,
    string FirstName,
    string LastName,
    string Email,
    string Organisation,
    string? JobTitle,
    RegistrationStatus Status,
    DateTime RegisteredAtUtc,
    DateTime? AttendedAtUtc);

public sealed record AttendeePage(IReadOnlyList<AttendeeRow> Rows, int Total, int Page, int PageCount);

public sealed record AttendeeCounts(int Confirmed, int Waiting, int Cancelled, int Attended)
{
    public static readonly AttendeeCounts None = new(0, 0, 0, 0);

    public int Total => Confirmed + Waiting + Cancelled;

    public AttendeeCounts Plus(AttendeeCounts other) =>
        new(Confirmed + other.Confirmed, Waiting + other.Waiting, Cancelled + other.Cancelled, Attended + other.Attended);
}

/// <summary>The attendee list of one event. Filtering, sorting and paging happen in SQLite, so 5,000 rows stay fast.</summary>
public sealed class AttendeeList(CdoForumDbContext db)
{
    public const int PageSize = 50;

    /// <summary>Counts of every event that has registrations, in one query.</summary>
    public async Task<Dictionary<int, AttendeeCounts>> CountAllAsync(CancellationToken cancellationToken)
    {
        var groups = await db.Registrations
            .GroupBy(r => new { r.EventId, r.Status })
            .Select(g => new { g.Key.EventId, g.Key.Status, Count = g.Count(), Attended = g.Count(r => r.AttendedAtUtc != null) })
            .ToListAsync(cancellationToken);
        return groups.GroupBy(g => g.EventId).ToDictionary(
            e => e.Key,
            e => new AttendeeCounts(
                e.Where(g => g.Status == RegistrationStatus.Confirmed).Sum(g => g.Count),
                e.Where(g => g.Status == RegistrationStatus.Waiting).Sum(g => g.Count),
                e.Where(g => g.Status == RegistrationStatus.Cancelled).Sum(g => g.Count),
                e.Sum(g => g.Attended)));
    }

    public async Task<AttendeeCounts> CountAsync(int eventId, CancellationToken cancellationToken)
    {
        var groups = await db.Registrations
            .Where(r => r.EventId == eventId)
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Attended = g.Count(r => r.AttendedAtUtc != null) })
            .ToListAsync(cancellationToken);
        return new AttendeeCounts(
            groups.Where(g => g.Status == RegistrationStatus.Confirmed).Sum(g => g.Count),
            groups.Where(g => g.Status == RegistrationStatus.Waiting).Sum(g => g.Count),
            groups.Where(g => g.Status == RegistrationStatus.Cancelled).Sum(g => g.Count),
            groups.Sum(g => g.Attended));
    }

    public async Task<AttendeePage> FindAsync(int eventId, AttendeeFilter filter, CancellationToken cancellationToken)
    {
        var query = db.Registrations.AsNoTracking().Where(r => r.EventId == eventId);
        if (filter.Status is { } status)
        {
            query = query.Where(r => r.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + EscapeLike(filter.Search.Trim()) + "%";
            // SQLite's LIKE ignores case (for ASCII letters); PostgreSQL's does not, its ILIKE does (for every letter).
            query = db is PostgreSqlDbContext
                ? query.Where(r =>
                    EF.Functions.ILike(r.FirstName + " " + r.LastName, pattern, "\\")
                    || EF.Functions.ILike(r.LastName + ", " + r.FirstName, pattern, "\\")
                    || EF.Functions.ILike(r.Email, pattern, "\\")
                    || EF.Functions.ILike(r.Organisation, pattern, "\\"))
                : query.Where(r =>
                    EF.Functions.Like(r.FirstName + " " + r.LastName, pattern, "\\")
                    || EF.Functions.Like(r.LastName + ", " + r.FirstName, pattern, "\\")
                    || EF.Functions.Like(r.Email, pattern, "\\")
                    || EF.Functions.Like(r.Organisation, pattern, "\\"));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pageCount);
        var rows = await Sort(query, filter.Sort, filter.Descending)
            .Skip((page - 1) * PageSize)
            .Take(PageSize)
            .Select(r => new AttendeeRow(r.Id, r.FirstName, r.LastName, r.Email, r.Organisation, r.JobTitle, r.Status, r.RegisteredAtUtc, r.AttendedAtUtc))
            .ToListAsync(cancellationToken);
        return new AttendeePage(rows, total, page, pageCount);
    }

    private static IQueryable<Registration> Sort(IQueryable<Registration> query, AttendeeSort sort, bool descending)
    {
        var byName = sort switch
        {
            AttendeeSort.Organisation => descending
                ? query.OrderByDescending(r => EF.Functions.Collate(r.Organisation, GermanCollation.Name))
                : query.OrderBy(r => EF.Functions.Collate(r.Organisation, GermanCollation.Name)),
            AttendeeSort.RegisteredAt => descending ? query.OrderByDescending(r => r.RegisteredAtUtc) : query.OrderBy(r => r.RegisteredAtUtc),
            // Confirmed, waiting, cancelled: the order of the work, not of the alphabet.
            AttendeeSort.Status => descending
                ? query.OrderByDescending(r => r.Status == RegistrationStatus.Confirmed ? 0 : r.Status == RegistrationStatus.Waiting ? 1 : 2)
                : query.OrderBy(r => r.Status == RegistrationStatus.Confirmed ? 0 : r.Status == RegistrationStatus.Waiting ? 1 : 2),
            _ => descending
                ? query.OrderByDescending(r => EF.Functions.Collate(r.LastName, GermanCollation.Name))
                : query.OrderBy(r => EF.Functions.Collate(r.LastName, GermanCollation.Name)),
        };
        return byName
            .ThenBy(r => EF.Functions.Collate(r.LastName, GermanCollation.Name))
            .ThenBy(r => EF.Functions.Collate(r.FirstName, GermanCollation.Name))
            .ThenBy(r => r.Id);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
