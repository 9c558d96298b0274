using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Deployments.History;

/// <summary>The deployment journal: every deploy and each of its steps, written before the agent acts.</summary>
public sealed class DeploymentStore(AgentDatabase database)
{
    private const string Columns =
        "id, app, kind, state, image, digest, commit_sha, commit_time, requested_by, started_at, ended_at, from_slot, to_slot, message, idempotency_key, " +
        "caller";

    public Task InsertAsync(DeploymentRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO deployments ({Columns}) VALUES ($id, $app, $kind, $state, $image, $digest, $commit_sha, $commit_time, " +
                "$requested_by, $started_at, $ended_at, $from_slot, $to_slot, $message, $idempotency_key, $caller)";
            Bind(command, record);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task UpdateAsync(DeploymentRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE deployments SET state = $state, image = $image, digest = $digest, commit_sha = $commit_sha, " +
                "commit_time = $commit_time, ended_at = $ended_at, from_slot = $from_slot, to_slot = $to_slot, message = $message WHERE id = $id";
            Bind(command, record);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task AppendEventAsync(DeploymentEventRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO deployment_events (deployment_id, sequence, at, step, status, message, details) " +
                "VALUES ($id, $sequence, $at, $step, $status, $message, $details)";
            command.Parameters.AddWithValue("$id", record.DeploymentId);
            command.Parameters.AddWithValue("$sequence", record.Sequence);
            command.Parameters.AddWithValue("$at", record.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$step", record.Step.ToString());
            command.Parameters.AddWithValue("$status", record.Status.ToString());
            command.Parameters.AddWithValue("$message", record.Message);
            command.Parameters.AddWithValue(
                "$details",
                JsonSerializer.Serialize(new Dictionary<string, string>(record.Details), StoreJsonContext.Default.DictionaryStringString));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes deployments (and their steps) that ended before <paramref name="cutoff"/>; a running one is never deleted. Returns how many.</summary>
    public async Task<int> DeleteEndedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await database.WriteAsync(async connection =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var events = connection.CreateCommand())
            {
                events.Transaction = transaction;
                events.CommandText = "DELETE FROM deployment_events WHERE deployment_id IN " +
                    "(SELECT id FROM deployments WHERE ended_at IS NOT NULL AND ended_at < $cutoff AND state <> $running)";
                events.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
                events.Parameters.AddWithValue("$running", DeploymentState.Running.ToString());
                await events.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var records = connection.CreateCommand())
            {
                records.Transaction = transaction;
                records.CommandText = "DELETE FROM deployments WHERE ended_at IS NOT NULL AND ended_at < $cutoff AND state <> $running";
                records.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
                records.Parameters.AddWithValue("$running", DeploymentState.Running.ToString());
                deleted = await records.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
        return deleted;
    }

    public async Task<DeploymentRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM deployments WHERE id = $id", cancellationToken, ("$id", id));
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string? app, int limit, CancellationToken cancellationToken) =>
        app is null
            ? QueryAsync($"SELECT {Columns} FROM deployments ORDER BY started_at DESC, rowid DESC LIMIT $limit", cancellationToken, ("$limit", limit))
            : QueryAsync(
                $"SELECT {Columns} FROM deployments WHERE app = $app ORDER BY started_at DESC, rowid DESC LIMIT $limit",
                cancellationToken,
                ("$app", app),
                ("$limit", limit));

    public async Task<DeploymentRecord?> FindByIdempotencyKeyAsync(string app, string key, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(
            $"SELECT {Columns} FROM deployments WHERE app = $app AND idempotency_key = $key",
            cancellationToken,
            ("$app", app),
            ("$key", key));
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<DeploymentRecord>> ListRunningAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM deployments WHERE state = $state", cancellationToken, ("$state", DeploymentState.Running.ToString()));

    /// <summary>Deployments and rollbacks started at or after <paramref name="since"/>, oldest first: the sample the metrics are computed from.</summary>
    public Task<IReadOnlyList<DeploymentRecord>> ListStartedSinceAsync(string? app, DateTimeOffset since, CancellationToken cancellationToken) =>
        app is null
            ? QueryAsync(
                $"SELECT {Columns} FROM deployments WHERE started_at >= $since ORDER BY started_at, rowid",
                cancellationToken,
                ("$since", since.ToUnixTimeMilliseconds()))
            : QueryAsync(
                $"SELECT {Columns} FROM deployments WHERE app = $app AND started_at >= $since ORDER BY started_at, rowid",
                cancellationToken,
                ("$app", app),
                ("$since", since.ToUnixTimeMilliseconds()));

    /// <summary>
    /// For the failed deployments started at or after <paramref name="since"/>: when their switch step moved live traffic
    /// (id → time). One query for the metrics, instead of reading each failed deployment's steps.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ListFailedSwitchTimesSinceAsync(
        string? app,
        DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.deployment_id, MIN(e.at) FROM deployment_events e JOIN deployments d ON d.id = e.deployment_id
            WHERE d.started_at >= $since AND ($app IS NULL OR d.app = $app) AND d.state IN ($rolled_back, $failed)
              AND e.step = $step AND e.status = $status
            GROUP BY e.deployment_id
            """;
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$app", (object?)app ?? DBNull.Value);
        command.Parameters.AddWithValue("$rolled_back", DeploymentState.RolledBack.ToString());
        command.Parameters.AddWithValue("$failed", DeploymentState.Failed.ToString());
        command.Parameters.AddWithValue("$step", DeploymentStep.Switch.ToString());
        command.Parameters.AddWithValue("$status", StepStatus.Succeeded.ToString());
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            times[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        }

        return times;
    }

    /// <summary>Deployments that put a version live, newest first: where a rollback finds the image before the live one.</summary>
    public Task<IReadOnlyList<DeploymentRecord>> ListSucceededAsync(string app, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM deployments WHERE app = $app AND state = $state AND digest IS NOT NULL ORDER BY ended_at DESC, rowid DESC LIMIT $limit",
            cancellationToken,
            ("$app", app),
            ("$state", DeploymentState.Succeeded.ToString()),
            ("$limit", limit));

    public async Task<IReadOnlyList<DeploymentEventRecord>> GetEventsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, at, step, status, message, details FROM deployment_events WHERE deployment_id = $id ORDER BY sequence";
        command.Parameters.AddWithValue("$id", id);
        var events = new List<DeploymentEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var details = JsonSerializer.Deserialize(reader.GetString(5), StoreJsonContext.Default.DictionaryStringString) ?? [];
            events.Add(new DeploymentEventRecord(
                id,
                reader.GetInt32(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Enum.Parse<DeploymentStep>(reader.GetString(2)),
                Enum.Parse<StepStatus>(reader.GetString(3)),
                reader.GetString(4),
                details));
        }

        return events;
    }

    private async Task<IReadOnlyList<DeploymentRecord>> QueryAsync(
        string sql,
        CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var records = new List<DeploymentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    private static DeploymentRecord Read(SqliteDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
        return new DeploymentRecord(
            reader.GetString(0),
            reader.GetString(1),
            Enum.Parse<DeploymentKind>(reader.GetString(2)),
            Enum.Parse<DeploymentState>(reader.GetString(3)),
            reader.GetString(4),
            Text(5),
            Text(6),
            Time(7),
            reader.GetString(8),
            Time(9)!.Value,
            Time(10),
            Text(11),
            Text(12),
            Text(13),
            Text(14),
            Text(15));
    }

    private static void Bind(SqliteCommand command, DeploymentRecord record)
    {
        object Db(object? value) => value ?? DBNull.Value;
        command.Parameters.AddWithValue("$id", record.Id);
        command.Parameters.AddWithValue("$app", record.App);
        command.Parameters.AddWithValue("$kind", record.Kind.ToString());
        command.Parameters.AddWithValue("$state", record.State.ToString());
        command.Parameters.AddWithValue("$image", record.Image);
        command.Parameters.AddWithValue("$digest", Db(record.Digest));
        command.Parameters.AddWithValue("$commit_sha", Db(record.CommitSha));
        command.Parameters.AddWithValue("$commit_time", Db(record.CommitTime?.ToUnixTimeMilliseconds()));
        command.Parameters.AddWithValue("$requested_by", record.RequestedBy);
        command.Parameters.AddWithValue("$started_at", record.StartedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$ended_at", Db(record.EndedAt?.ToUnixTimeMilliseconds()));
        command.Parameters.AddWithValue("$from_slot", Db(record.FromSlot));
        command.Parameters.AddWithValue("$to_slot", Db(record.ToSlot));
        command.Parameters.AddWithValue("$message", Db(record.Message));
        command.Parameters.AddWithValue("$idempotency_key", Db(record.IdempotencyKey));
        command.Parameters.AddWithValue("$caller", Db(record.Caller));
    }
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
