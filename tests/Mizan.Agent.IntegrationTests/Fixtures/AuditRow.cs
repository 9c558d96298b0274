namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>One row of the agent's audit table, read straight from DataDirectory/agent.db (read-only), oldest first.</summary>
public sealed record AuditRow(DateTimeOffset At, string Caller, string Action, string App, string Detail, string Outcome)
{
    public static async Task<IReadOnlyList<AuditRow>> ReadAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        await using var connection = await AgentDatabaseFile.OpenReadOnlyAsync(dataDirectory, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, caller, action, app, detail, outcome FROM audit ORDER BY at, rowid";
        var rows = new List<AuditRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditRow(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5)));
        }

        return rows;
    }

    public override string ToString() => $"{At:HH:mm:ss.fff} {Caller} {Action} {App}: {Outcome} ({Detail})";
}
