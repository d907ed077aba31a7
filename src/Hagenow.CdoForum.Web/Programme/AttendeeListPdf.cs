using Hagenow.CdoForum.Web.Events;

namespace Hagenow.CdoForum.Web.Programme;

/// <summary>One line of the Teilnehmendenliste for the door.</summary>
public sealed record AttendeeListEntry(string LastName, string FirstName, string Organisation, string? JobTitle);

/// <summary>
/// The Teilnehmendenliste as PDF: sorted by name, organisation, a signature column, page numbers.
/// PLACEHOLDER until the programme PDF feature builds it with the same PDF code as the programme.
/// </summary>
public sealed class AttendeeListPdf
{
    public void Render(Event ev, IEnumerable<AttendeeListEntry> entries, Stream output)
    {
        _ = ev;
        _ = entries;
        _ = output;
        throw new NotSupportedException("Die Teilnehmendenliste als PDF ist noch nicht gebaut.");
    }
}
