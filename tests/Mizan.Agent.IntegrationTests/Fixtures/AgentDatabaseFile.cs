using Microsoft.Data.Sqlite;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>The agent's SQLite file, DataDirectory/agent.db, opened read-only for a test to look at what the agent wrote.</summary>
public static class AgentDatabaseFile
{
    public static async Task<SqliteConnection> OpenReadOnlyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "agent.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
