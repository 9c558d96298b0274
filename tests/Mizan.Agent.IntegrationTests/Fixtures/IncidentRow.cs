namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>One row of the agent's incidents table, read straight from DataDirectory/agent.db (read-only).</summary>
public sealed record IncidentRow(
    string Id,
    string App,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    string Reason,
    string? Resolution,
    string? DeploymentId)
{
    public TimeSpan? Duration => ClosedAt - OpenedAt;

    public static async Task<IReadOnlyList<IncidentRow>> ReadAsync(string dataDirectory, string app, CancellationToken cancellationToken)
    {
        await using var connection = await AgentDatabaseFile.OpenReadOnlyAsync(dataDirectory, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, app, opened_at, closed_at, reason, resolution, deployment_id FROM incidents WHERE app = $app ORDER BY opened_at";
        command.Parameters.AddWithValue("$app", app);
        var rows = new List<IncidentRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new IncidentRow(
                reader.GetString(0),
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    public override string ToString() =>
        $"{Id} opened {OpenedAt:HH:mm:ss.fff} closed {ClosedAt:HH:mm:ss.fff} ({Duration?.TotalSeconds:0.0} s) reason: {Reason}; resolution: {Resolution}";
}
