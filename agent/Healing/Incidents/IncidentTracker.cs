using System.Globalization;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Healing.Incidents;

/// <summary>
/// Opens and closes an app's incidents: recorded in the store, kept in <see cref="OpenIncidents"/> for the checks and
/// the metrics, logged, and published for the webhooks. The times it records are what DORA's recovery time is made of.
/// </summary>
public sealed partial class IncidentTracker(
    IncidentStore store,
    OpenIncidents open,
    IContainerRuntime containers,
    DeploymentStore deployments,
    AgentEvents events,
    ILogger<IncidentTracker> logger)
{
    /// <summary>Incidents left open by a previous run of the agent are still open: the first good check closes them.</summary>
    public async Task LoadOpenAsync(CancellationToken cancellationToken)
    {
        foreach (var incident in await store.ListOpenAsync(cancellationToken))
        {
            open.Opened(incident);
        }
    }

    /// <summary>Dated from the first failed check, not from when the failures added up to an incident.</summary>
    public async Task OpenAsync(string app, Slot liveSlot, CheckState live, CancellationToken cancellationToken)
    {
        var container = await containers.FindSlotContainerAsync(app, liveSlot, cancellationToken);
        var openedAt = live.StatusSince;
        var incident = new IncidentRecord(
            $"i-{openedAt:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            app,
            openedAt,
            null,
            $"the live slot {liveSlot.Name()} failed {live.ConsecutiveFailures} checks in a row: {live.Latest.Message}",
            null,
            container?.DeploymentId is { Length: > 0 } deployment ? deployment : null);
        await store.InsertAsync(incident, cancellationToken);
        open.Opened(incident);
        LogIncidentOpened(logger, app, incident.Id, incident.Reason);
        events.Publish(new AgentEvent(
            AgentEventKind.IncidentOpened,
            openedAt,
            app,
            $"Incident {incident.Id} opened for {app}: {incident.Reason}",
            incident.DeploymentId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["incident_id"] = incident.Id,
                ["slot"] = liveSlot.Name(),
                ["reason"] = incident.Reason,
            }));
    }

    /// <summary>
    /// An incident found only once it was over: recorded opened and closed, published both ways, so the history,
    /// the webhooks and the recovery-time figures have it. An incident the checks hold open stays open.
    /// </summary>
    public async Task RecordHealedAsync(string app, DateTimeOffset openedAt, DateTimeOffset closedAt, string reason, string resolution, CancellationToken cancellationToken)
    {
        var incident = new IncidentRecord($"i-{openedAt:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}", app, openedAt, null, reason, null, null);
        await store.InsertAsync(incident, cancellationToken);
        LogIncidentOpened(logger, app, incident.Id, reason);
        events.Publish(new AgentEvent(
            AgentEventKind.IncidentOpened,
            openedAt,
            app,
            $"Incident {incident.Id} opened for {app}: {reason}",
            null,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["incident_id"] = incident.Id, ["reason"] = reason }));
        await CloseRecordAsync(incident, closedAt, resolution, cancellationToken);
    }

    public async Task CloseAsync(IncidentRecord incident, DateTimeOffset closedAt, string resolution, CancellationToken cancellationToken)
    {
        open.Closed(incident.App);
        await CloseRecordAsync(incident, closedAt, resolution, cancellationToken);
    }

    private async Task CloseRecordAsync(IncidentRecord incident, DateTimeOffset closedAt, string resolution, CancellationToken cancellationToken)
    {
        await store.CloseAsync(incident.Id, closedAt, resolution, cancellationToken);
        var duration = closedAt - incident.OpenedAt;
        LogIncidentClosed(logger, incident.App, incident.Id, duration.TotalSeconds, resolution);
        events.Publish(new AgentEvent(
            AgentEventKind.IncidentClosed,
            closedAt,
            incident.App,
            $"Incident {incident.Id} of {incident.App} closed after {duration.TotalSeconds:0.#} s: {resolution}",
            incident.DeploymentId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["incident_id"] = incident.Id,
                ["resolution"] = resolution,
                ["duration_ms"] = ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            }));
    }

    /// <summary>How service came back: auto-heal's last action, else a deployment that ended since, else on its own.</summary>
    public async Task<string> ResolutionAsync(IncidentRecord incident, (string Text, DateTimeOffset At)? healed, CancellationToken cancellationToken)
    {
        if (healed is { } action && action.At >= incident.OpenedAt)
        {
            return action.Text;
        }

        // A deploy that switched traffic is still recording its last steps when the next check sees the new slot answer.
        var latest = await deployments.ListAsync(incident.App, 1, cancellationToken);
        var last = latest.Count > 0 ? latest[0] : null;
        if (last is { State: DeploymentState.Running } or { State: DeploymentState.Succeeded, EndedAt: { } }
            && (last.EndedAt ?? DateTimeOffset.MaxValue) >= incident.OpenedAt)
        {
            var what = last.Kind == DeploymentKind.Rollback ? "rollback" : "deployment";
            return last.ToSlot is { Length: > 0 } slot ? $"{what} {last.Id} put {last.Image} live in slot {slot}" : $"{what} {last.Id} put {last.Image} live";
        }

        return "the live slot answers again without any action";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident {IncidentId} opened for {App}: {Reason}")]
    private static partial void LogIncidentOpened(ILogger logger, string app, string incidentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} of {App} closed after {DurationSeconds:0.0} s: {Resolution}")]
    private static partial void LogIncidentClosed(ILogger logger, string app, string incidentId, double durationSeconds, string resolution);
}
