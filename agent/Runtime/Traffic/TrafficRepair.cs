namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// The kernel's redirects differed from the recorded routes and were put back. <paramref name="At"/> is when the
/// difference was found, before the rewrite. <paramref name="Apps"/> are those whose requests went astray meanwhile (a
/// redirect missing or pointing elsewhere): their traffic was affected.
/// </summary>
public sealed record TrafficRepair(DateTimeOffset At, IReadOnlyList<string> Apps, string Found);

/// <summary>Told of every repair, so that what it cost is on record (Healing opens an incident per affected app).</summary>
public interface ITrafficRepairObserver
{
    Task RepairedAsync(TrafficRepair repair, CancellationToken cancellationToken);
}
