using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Storage;

/// <summary>The agent's SQLite file in its data directory; creates the schema on first use.</summary>
public sealed class AgentDatabase : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS deployments (
            id TEXT PRIMARY KEY,
            app TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            image TEXT NOT NULL,
            digest TEXT,
            commit_sha TEXT,
            commit_time INTEGER,
            requested_by TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            from_slot TEXT,
            to_slot TEXT,
            message TEXT
        );
        CREATE INDEX IF NOT EXISTS deployments_by_app ON deployments (app, started_at);
        CREATE TABLE IF NOT EXISTS deployment_events (
            deployment_id TEXT NOT NULL REFERENCES deployments (id),
            sequence INTEGER NOT NULL,
            at INTEGER NOT NULL,
            step TEXT NOT NULL,
            status TEXT NOT NULL,
            message TEXT NOT NULL,
            details TEXT NOT NULL,
            PRIMARY KEY (deployment_id, sequence)
        );
        CREATE TABLE IF NOT EXISTS audit (
            at INTEGER NOT NULL,
            caller TEXT NOT NULL,
            thumbprint TEXT,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            app TEXT NOT NULL,
            detail TEXT NOT NULL,
            peer TEXT NOT NULL,
            outcome TEXT NOT NULL,
            deployment_id TEXT
        );
        CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
        CREATE TABLE IF NOT EXISTS standbys (
            app TEXT PRIMARY KEY,
            slot TEXT NOT NULL,
            until INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS incidents (
            id TEXT PRIMARY KEY,
            app TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            closed_at INTEGER,
            reason TEXT NOT NULL,
            resolution TEXT,
            deployment_id TEXT
        );
        CREATE INDEX IF NOT EXISTS incidents_by_app ON incidents (app, opened_at);
        CREATE TABLE IF NOT EXISTS traffic_routes (
            app TEXT PRIMARY KEY,
            live TEXT NOT NULL,
            other_percent INTEGER NOT NULL,
            backup INTEGER NOT NULL,
            since INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS traffic_route_changes (
            app TEXT NOT NULL,
            at INTEGER NOT NULL,
            live TEXT NOT NULL,
            other_percent INTEGER NOT NULL,
            backup INTEGER NOT NULL,
            front_ports TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS traffic_route_changes_by_app ON traffic_route_changes (app, at);
        """;

    private readonly string connectionString;
    private readonly string connectionPragmas;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public void Dispose() => writeGate.Dispose();

    /// <summary>
    /// The agent's database commits with <see cref="SqliteSynchronous.Full"/>: a deploy record, an audit row or an
    /// idempotency key the agent acknowledged must survive a power loss, not only a crash of the agent.
    /// </summary>
    public AgentDatabase(IOptions<AgentOptions> options)
        : this(options.Value.Agent.DataDirectory, SqliteSynchronous.Full)
    {
    }

    /// <summary>A database in <paramref name="directory"/>; another level than Full is for measuring what Full costs (bench --storage).</summary>
    public AgentDatabase(string directory, SqliteSynchronous synchronous)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, "agent.db");
        Synchronous = synchronous;
        // The pragma belongs to a connection, not to the file, so every open sets it, pooled connections included.
        connectionPragmas = $"PRAGMA synchronous = {(int)synchronous};";
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = connectionPragmas + Schema;
        command.ExecuteNonQuery();
        AddColumn(connection, "deployments", "idempotency_key");
        AddColumn(connection, "deployments", "caller");
        IndexIdempotencyKey(connection);
    }

    public SqliteSynchronous Synchronous { get; }

    // Columns added after the first release of the schema (all TEXT, nullable): databases made before get them on start.
    private static void AddColumn(SqliteConnection connection, string table, string column)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} TEXT";
            alter.ExecuteNonQuery();
        }
    }

    private static void IndexIdempotencyKey(SqliteConnection connection)
    {
        using var index = connection.CreateCommand();
        index.CommandText = "CREATE UNIQUE INDEX IF NOT EXISTS deployments_by_idempotency_key ON deployments (app, idempotency_key) " +
            "WHERE idempotency_key IS NOT NULL";
        index.ExecuteNonQuery();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = connectionPragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Writes go one at a time: SQLite has one writer, and waiting here beats SQLITE_BUSY.</summary>
    public async Task WriteAsync(Func<SqliteConnection, Task> write, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await write(connection);
        }
        finally
        {
            writeGate.Release();
        }
    }
}
