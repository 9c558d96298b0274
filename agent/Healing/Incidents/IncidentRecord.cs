namespace Mizan.Agent.Healing.Incidents;

/// <summary>
/// A stretch of time when an app's live slot was not serving: opened when the failure is first seen, closed when
/// service is back. Its duration is the time to restore that the DORA recovery figure uses.
/// </summary>
/// <param name="Resolution">How service came back, e.g. "switched to standby green", "restarted blue", "deployment d-..."; null while open.</param>
/// <param name="DeploymentId">The deployment live when the incident opened, so change failure rate can attribute it.</param>
public sealed record IncidentRecord(
    string Id,
    string App,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    string Reason,
    string? Resolution,
    string? DeploymentId)
{
    public bool IsOpen => ClosedAt is null;

    public TimeSpan? Duration => ClosedAt - OpenedAt;
}
