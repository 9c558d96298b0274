using System.Globalization;
using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Runtime.Traffic.Redirect;

/// <summary>
/// Redirect mode's record of where each app's traffic goes: the intent the kernel's table is rebuilt from at start and
/// after a flush. Every change is also kept with its front-port map ("18700=blue 18701=green"), so an answer that came
/// through a front port can be attributed to a slot, for the time it came.
/// </summary>
public sealed class TrafficRouteStore(AgentDatabase database, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, TrafficRoute>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT app, live, other_percent, backup FROM traffic_routes";
        var routes = new Dictionary<string, TrafficRoute>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (SlotNames.TryParse(reader.GetString(1), out var live))
            {
                routes[reader.GetString(0)] = new TrafficRoute(live, reader.GetInt32(2), reader.GetInt64(3) != 0);
            }
        }

        return routes;
    }

    public Task SetAsync(string app, TrafficRoute route, IReadOnlyList<(int FrontPort, Slot Slot)> map, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "INSERT INTO traffic_routes (app, live, other_percent, backup, since) VALUES ($app, $live, $other, $backup, $at) " +
                    "ON CONFLICT (app) DO UPDATE SET live = excluded.live, other_percent = excluded.other_percent, backup = excluded.backup, since = excluded.since";
                Bind(command, app, route, now);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "INSERT INTO traffic_route_changes (app, at, live, other_percent, backup, front_ports) " +
                    "VALUES ($app, $at, $live, $other, $backup, $ports)";
                Bind(command, app, route, now);
                command.Parameters.AddWithValue(
                    "$ports",
                    string.Join(' ', map.Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.FrontPort}={entry.Slot.Name()}"))));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Drops the front-port maps of changes older than <paramref name="cutoff"/>; each app's current route stays.</summary>
    public async Task<int> DeleteChangesBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM traffic_route_changes WHERE at < $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return deleted;
    }

    private static void Bind(Microsoft.Data.Sqlite.SqliteCommand command, string app, TrafficRoute route, long now)
    {
        command.Parameters.AddWithValue("$app", app);
        command.Parameters.AddWithValue("$live", route.Live.Name());
        command.Parameters.AddWithValue("$other", route.OtherPercent);
        command.Parameters.AddWithValue("$backup", route.Backup ? 1 : 0);
        command.Parameters.AddWithValue("$at", now);
    }
}
