namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// <c>BackgroundJobs:Enabled</c> (default true): whether the mail outbox, the reminders and the retention run on their
/// own. Tests switch them off and drive one round themselves; an operator may do so for a second copy of the site that
/// only serves pages. Switched off, nothing is sent or erased until a round is run by other means.
/// </summary>
public static class BackgroundJobs
{
    public const string EnabledKey = "BackgroundJobs:Enabled";

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue(EnabledKey, defaultValue: true);
}
