using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Access.Audit;

/// <summary>The audit log's table: append-only from the callers' side; only retention deletes, by age.</summary>
public sealed class AuditStore(AgentDatabase database)
{
    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO audit (at, caller, thumbprint, role, action, app, detail, peer, outcome, deployment_id)
                VALUES ($at, $caller, $thumbprint, $role, $action, $app, $detail, $peer, $outcome, $deployment_id)
                """;
            command.Parameters.AddWithValue("$at", record.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$caller", record.Caller);
            command.Parameters.AddWithValue("$thumbprint", (object?)record.Thumbprint ?? DBNull.Value);
            command.Parameters.AddWithValue("$role", record.Role);
            command.Parameters.AddWithValue("$action", record.Action);
            command.Parameters.AddWithValue("$app", record.App);
            command.Parameters.AddWithValue("$detail", record.Detail);
            command.Parameters.AddWithValue("$peer", record.Peer);
            command.Parameters.AddWithValue("$outcome", record.Outcome);
            command.Parameters.AddWithValue("$deployment_id", (object?)record.DeploymentId ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes the entries older than <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM audit WHERE at < $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return deleted;
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(string? app, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT at, caller, thumbprint, role, action, app, detail, peer, outcome, deployment_id FROM audit
            WHERE ($app IS NULL OR app = $app) AND at >= $since
            ORDER BY at DESC, rowid DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$app", (object?)app ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", since?.ToUnixTimeMilliseconds() ?? 0);
        command.Parameters.AddWithValue("$limit", limit);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                reader.GetString(1),
                Text(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8),
                Text(9)));
        }

        return records;
    }
}
