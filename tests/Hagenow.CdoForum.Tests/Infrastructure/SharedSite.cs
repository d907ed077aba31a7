namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// One site for all tests of a class (<c>IClassFixture&lt;SharedSite&gt;</c>): started once, so each test brings its own data
/// (its own event slug, its own addresses) and leaves the seed, the clock and the configuration alone. The background
/// jobs are off; a test that needs a round runs it (<see cref="BackgroundRounds"/>). A test that needs a pristine site,
/// its own clock or its own configuration starts a <see cref="SiteFactory"/> of its own.
/// </summary>
public class SharedSite : SiteFactory
{
    public SharedSite() => this.WithoutBackgroundJobs();
}
