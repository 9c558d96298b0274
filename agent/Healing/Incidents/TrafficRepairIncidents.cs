using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Healing.Incidents;

/// <summary>
/// A repair of the redirects put traffic back on course for each app it names: each gets an incident, opened when the
/// drift was found and closed by the repair, so a flush behind the agent's back is on record and counted.
/// </summary>
public sealed class TrafficRepairIncidents(IncidentTracker incidents, TimeProvider time) : ITrafficRepairObserver
{
    public async Task RepairedAsync(TrafficRepair repair, CancellationToken cancellationToken)
    {
        foreach (var app in repair.Apps)
        {
            await incidents.RecordHealedAsync(
                app,
                repair.At,
                time.GetUtcNow(),
                $"the agent's nftables redirects for {app} were changed behind its back (found {repair.Found}): its requests went astray",
                "the agent put its recorded redirects back",
                cancellationToken);
        }
    }
}
