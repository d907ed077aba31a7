using System.Net;
using Hagenow.CdoForum.Tests.Infrastructure;

namespace Hagenow.CdoForum.Tests;

public sealed class HealthTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Healthz_answers_200_when_the_database_answers()
    {
        using var response = await _site.CreateClient().GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_answers_503_when_the_database_is_gone()
    {
        var client = _site.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_site.Folder, "cdoforum.db*"))
        {
            File.Delete(file);
        }

        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
