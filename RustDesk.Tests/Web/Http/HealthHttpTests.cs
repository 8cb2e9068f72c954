using System.Net;
using Microsoft.Data.Sqlite;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>/healthz: 200 while the database answers, 503 when it does not.</summary>
public sealed class HealthHttpTests : ConsoleHttpTest
{

    [Fact]
    public async Task GetHealthz_DatabaseReachable_Returns200()
    {
        using var client = App.CreateClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetHealthz_DatabaseFileReplacedByDirectory_Returns503()
    {
        // Arrange: start (the app migrates at start), then put a directory where the database file was. SQLite
        // cannot open a directory; as root, making the folder unreadable would not stop it, so this is the honest way.
        using var client = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        RemoveDatabaseFiles();
        Directory.CreateDirectory(App.DatabaseFile);

        // Act
        var response = await client.GetAsync("/healthz");

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetHealthz_DatabaseFileOverwrittenWithGarbage_Returns503()
    {
        using var client = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        RemoveDatabaseFiles();
        await File.WriteAllBytesAsync(App.DatabaseFile, Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private void RemoveDatabaseFiles()
    {
        SqliteConnection.ClearAllPools(); // pooled connections would keep the deleted file open
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(App.DatabaseFile + suffix);
        }
        SqliteConnection.ClearAllPools();
    }
}
