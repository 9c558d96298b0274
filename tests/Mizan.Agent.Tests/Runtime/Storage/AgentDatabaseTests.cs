using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Runtime.Storage;

/// <summary>The agent's database against a real SQLite file in a fresh directory per test.</summary>
public sealed class AgentDatabaseTests : IDisposable
{
    private const long Full = 2;

    private readonly string directory = Directory.CreateTempSubdirectory("mizan-database-").FullName;
    private readonly AgentDatabase database;

    public AgentDatabaseTests()
    {
        database = new AgentDatabase(Options.Create(new AgentOptions { Agent = { DataDirectory = directory } }));
    }

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task OpenAsync_SeveralConnectionsAtOnce_AreEachSynchronousFull()
    {
        var connections = new List<SqliteConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                connections.Add(await database.OpenAsync(CancellationToken.None));
            }

            foreach (var connection in connections)
            {
                Assert.Equal(Full, await PragmaAsync(connection, "synchronous"));
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OpenAsync_PooledConnectionLoweredByItsLastUser_IsFullAgain()
    {
        await using (var first = await database.OpenAsync(CancellationToken.None))
        {
            await using var lower = first.CreateCommand();
            lower.CommandText = "PRAGMA synchronous = NORMAL;";
            await lower.ExecuteNonQueryAsync();
        }

        await using var reused = await database.OpenAsync(CancellationToken.None);

        Assert.Equal(Full, await PragmaAsync(reused, "synchronous"));
    }

    [Fact]
    public async Task WriteAsync_Connection_IsSynchronousFullInWalMode()
    {
        long synchronous = -1;
        string? journalMode = null;

        await database.WriteAsync(async connection =>
        {
            synchronous = await PragmaAsync(connection, "synchronous");
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            journalMode = (string?)await command.ExecuteScalarAsync();
        }, CancellationToken.None);

        Assert.Equal(Full, synchronous);
        Assert.Equal("wal", journalMode);
        Assert.Equal(SqliteSynchronous.Full, database.Synchronous);
    }

    [Fact]
    public async Task OpenAsync_DatabaseMadeForTheNormalComparison_IsSynchronousNormal()
    {
        using var normal = new AgentDatabase(Path.Combine(directory, "normal"), SqliteSynchronous.Normal);
        await using var connection = await normal.OpenAsync(CancellationToken.None);

        Assert.Equal((long)SqliteSynchronous.Normal, await PragmaAsync(connection, "synchronous"));
    }

    private static async Task<long> PragmaAsync(SqliteConnection connection, string pragma)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
