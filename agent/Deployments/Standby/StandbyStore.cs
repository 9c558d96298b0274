using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Deployments.Standby;

public sealed record StandbyLease(string App, Slot Slot, DateTimeOffset Until);

/// <summary>Until when each app's previous slot is kept running as a hot standby.</summary>
public sealed class StandbyStore(AgentDatabase database)
{
    public Task SetAsync(StandbyLease lease, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO standbys (app, slot, until) VALUES ($app, $slot, $until) " +
                "ON CONFLICT (app) DO UPDATE SET slot = excluded.slot, until = excluded.until";
            command.Parameters.AddWithValue("$app", lease.App);
            command.Parameters.AddWithValue("$slot", lease.Slot.Name());
            command.Parameters.AddWithValue("$until", lease.Until.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task ClearAsync(string app, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM standbys WHERE app = $app";
            command.Parameters.AddWithValue("$app", app);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<StandbyLease>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT app, slot, until FROM standbys";
        var leases = new List<StandbyLease>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (SlotNames.TryParse(reader.GetString(1), out var slot))
            {
                leases.Add(new StandbyLease(reader.GetString(0), slot, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }
        }

        return leases;
    }
}
