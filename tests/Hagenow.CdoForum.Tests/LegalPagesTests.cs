using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;

namespace Hagenow.CdoForum.Tests;

/// <summary>One site for the pages as configured by default; a test with its own configuration starts its own site.</summary>
public sealed class LegalPagesTests(SharedSite shared) : IClassFixture<SharedSite>
{
    private readonly SiteFactory _site = shared;

    [Theory]
    [InlineData("/impressum", "Impressum", true)]
    [InlineData("/datenschutz", "Datenschutzerklärung", true)]
    [InlineData("/barrierefreiheit", "Erklärung zur Barrierefreiheit", false)]
    public async Task Legal_page_shows_the_organiser_and_says_what_the_operator_must_add(string url, string heading, bool needsOperatorDetails)
    {
        var (status, text) = await _site.CreateClient().GetTextAsync(url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<h1>{heading}</h1>", text, StringComparison.Ordinal);
        Assert.Contains("smartekommunen@iqib.de", text, StringComparison.Ordinal);
        Assert.Contains("c/o IQIB", text, StringComparison.Ordinal);
        Assert.Equal(needsOperatorDetails, text.Contains("Diese Seite ist noch nicht vollständig.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Impressum_marks_a_missing_postal_address_and_never_invents_one()
    {
        var (_, text) = await _site.CreateClient().GetTextAsync("/impressum");

        Assert.Contains("Postanschrift Angabe fehlt – von der Betreiberin in der Einstellung Legal:PostalAddress zu ergänzen.", text.Replace("<dt>", "", StringComparison.Ordinal).Replace("</dt>", "", StringComparison.Ordinal).Replace("<dd class=\"missing\">", "", StringComparison.Ordinal).Replace("<code>", "", StringComparison.Ordinal).Replace("</code>", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_operator_details_appear_and_the_warning_goes()
    {
        using var site = new SiteFactory()
            .With("Legal:Operator", "IQIB GmbH")
            .With("Legal:PostalAddress", "Musterstraße 1, 53474 Bad Neuenahr-Ahrweiler")
            .With("Legal:Representatives", "Geschäftsführung: Erika Beispiel")
            .With("Legal:Register", "Amtsgericht Koblenz, HRB 0000")
            .With("Legal:ResponsibleForContent", "Erika Beispiel")
            .With("Legal:DataProtectionOfficer", "datenschutz@example.org")
            .With("Legal:SupervisoryAuthority", "Der Landesbeauftragte für den Datenschutz Rheinland-Pfalz");

        var (_, text) = await site.CreateClient().GetTextAsync("/impressum");

        Assert.Contains("Musterstraße 1, 53474 Bad Neuenahr-Ahrweiler", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Angabe fehlt", text, StringComparison.Ordinal);
        Assert.DoesNotContain("noch nicht vollständig", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datenschutz_states_the_retention_period_from_configuration()
    {
        using var site = new SiteFactory().With("Privacy:RetentionDays", "30");

        var (_, text) = await site.CreateClient().GetTextAsync("/datenschutz");

        Assert.Contains("30 Tage nach der Veranstaltung", text, StringComparison.Ordinal);
    }
}
