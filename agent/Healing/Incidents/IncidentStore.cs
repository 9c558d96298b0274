using Microsoft.Data.Sqlite;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Healing.Incidents;

/// <summary>Incidents: when an app's live slot stopped serving and when service came back.</summary>
public sealed class IncidentStore(AgentDatabase database)
{
    private const string Columns = "id, app, opened_at, closed_at, reason, resolution, deployment_id";

    public Task InsertAsync(IncidentRecord incident, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO incidents ({Columns}) VALUES ($id, $app, $opened_at, $closed_at, $reason, $resolution, $deployment_id)";
            command.Parameters.AddWithValue("$id", incident.Id);
            command.Parameters.AddWithValue("$app", incident.App);
            command.Parameters.AddWithValue("$opened_at", incident.OpenedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$closed_at", (object?)incident.ClosedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", incident.Reason);
            command.Parameters.AddWithValue("$resolution", (object?)incident.Resolution ?? DBNull.Value);
            command.Parameters.AddWithValue("$deployment_id", (object?)incident.DeploymentId ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Closes the incident if it is still open; closing twice keeps the first close.</summary>
    public Task CloseAsync(string id, DateTimeOffset closedAt, string resolution, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE incidents SET closed_at = $closed_at, resolution = $resolution WHERE id = $id AND closed_at IS NULL";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$closed_at", closedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$resolution", resolution);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes incidents closed before <paramref name="cutoff"/>; an open one is never deleted. Returns how many.</summary>
    public async Task<int> DeleteClosedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM incidents WHERE closed_at IS NOT NULL AND closed_at < $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return deleted;
    }

    /// <summary>The app's open incident, if any (at most one is open per app).</summary>
    public async Task<IncidentRecord?> FindOpenAsync(string app, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(
            $"SELECT {Columns} FROM incidents WHERE app = $app AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1",
            cancellationToken,
            ("$app", app));
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<IncidentRecord>> ListOpenAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM incidents WHERE closed_at IS NULL ORDER BY opened_at", cancellationToken);

    /// <summary>Incidents opened at or after <paramref name="since"/>, oldest first.</summary>
    public Task<IReadOnlyList<IncidentRecord>> ListOpenedSinceAsync(string? app, DateTimeOffset since, CancellationToken cancellationToken) =>
        app is null
            ? QueryAsync(
                $"SELECT {Columns} FROM incidents WHERE opened_at >= $since ORDER BY opened_at",
                cancellationToken,
                ("$since", since.ToUnixTimeMilliseconds()))
            : QueryAsync(
                $"SELECT {Columns} FROM incidents WHERE app = $app AND opened_at >= $since ORDER BY opened_at",
                cancellationToken,
                ("$app", app),
                ("$since", since.ToUnixTimeMilliseconds()));

    private async Task<IReadOnlyList<IncidentRecord>> QueryAsync(
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

        var incidents = new List<IncidentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(Read(reader));
        }

        return incidents;
    }

    private static IncidentRecord Read(SqliteDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
        return new IncidentRecord(reader.GetString(0), reader.GetString(1), Time(2)!.Value, Time(3), reader.GetString(4), Text(5), Text(6));
    }
}
