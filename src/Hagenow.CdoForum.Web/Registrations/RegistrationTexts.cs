namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>The one German label of a registration's status, for lists, exports and pages.</summary>
public static class RegistrationTexts
{
    public static string Status(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => "bestätigt",
        RegistrationStatus.Waiting => "Warteliste",
        _ => "storniert",
    };
}
