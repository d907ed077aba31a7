using Hagenow.CdoForum.Web.Events;
using Hagenow.CdoForum.Web.Registrations;

namespace Hagenow.CdoForum.Web.Pages.Shared;

/// <summary>What the public event page shows; the staff preview renders the same partial.</summary>
/// <param name="PreviewPdfUrl">Set in the preview: the programme link points there and the sign-up button leads nowhere.</param>
public sealed record EventPageView(Event Event, bool HasEnded, bool IsRegistrationOpen, Availability? Availability, string? PreviewPdfUrl = null)
{
    public bool IsPreview => PreviewPdfUrl is not null;

    /// <summary>Every person on the agenda once, in order of first appearance.</summary>
    public IReadOnlyList<Speaker> Speakers { get; } = [.. Event.Agenda.SelectMany(a => a.Speakers).DistinctBy(s => s.Name)];

    /// <summary>The page's facts at <paramref name="now"/>; free places only when the event has a capacity and takes sign-ups.</summary>
    public static async Task<EventPageView> CreateAsync(Event ev, RegistrationService registrations, DateTimeOffset now, string? previewPdfUrl,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(registrations);
        var open = ev.IsRegistrationOpen(now);
        var availability = open && ev.Capacity is not null ? await registrations.AvailabilityAsync(ev, cancellationToken) : null;
        return new EventPageView(ev, ev.HasEnded(now), open, availability, previewPdfUrl);
    }
}
