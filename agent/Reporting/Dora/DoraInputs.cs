using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Reporting.Dora;

/// <summary>
/// What the calculator needs of a deploy or rollback. <paramref name="TrafficMovedAt"/> is when the switch step moved
/// live traffic to it (null when it never did): it tells a deploy that failed after reaching production from one that
/// failed before, and when a failed change began to hurt.
/// </summary>
public sealed record DoraDeployment(
    string Id,
    string App,
    DeploymentKind Kind,
    DeploymentState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? CommitTime,
    DateTimeOffset? TrafficMovedAt = null)
{
    /// <summary>
    /// DORA counts changes to production. A succeeded or rolled-back deploy went live; a failed one only when its switch
    /// moved traffic (a first deploy that failed its verify has no previous slot to return to). A deploy that failed
    /// before the switch was stopped by the agent's own gates, like a red CI build: it never reached users.
    /// </summary>
    public bool ReachedProduction => Kind == DeploymentKind.Deploy && State switch
    {
        DeploymentState.Succeeded or DeploymentState.RolledBack => true,
        DeploymentState.Failed => TrafficMovedAt is not null,
        _ => false,
    };
}

/// <summary>A stretch when an app's live slot did not serve (see Healing/Incidents/IncidentRecord).</summary>
public sealed record DoraIncident(string App, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? DeploymentId);

/// <summary>
/// The history a report is computed from. It must reach back <see cref="FailureWindow"/> before <see cref="From"/>, so a
/// failure just before the window still marks the rework that follows it inside the window.
/// </summary>
public sealed record DoraHistory(
    IReadOnlyList<DoraDeployment> Deployments,
    IReadOnlyList<DoraIncident> Incidents,
    DateTimeOffset From,
    DateTimeOffset To,
    TimeSpan FailureWindow);
