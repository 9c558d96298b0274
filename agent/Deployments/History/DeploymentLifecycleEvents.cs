using System.Globalization;
using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Deployments.History;

/// <summary>The agent events a deployment's start and end publish: one mapping, so notifications and metrics agree.</summary>
public static class DeploymentLifecycleEvents
{
    public static AgentEvent Started(DeploymentRecord record) => record.Kind == DeploymentKind.Rollback
        ? new AgentEvent(
            AgentEventKind.RollbackStarted,
            record.StartedAt,
            record.App,
            $"Rollback of {record.App} started by {record.Requester}",
            record.Id,
            Details(record))
        : new AgentEvent(
            AgentEventKind.DeployStarted,
            record.StartedAt,
            record.App,
            $"Deploy of {record.Image} to {record.App} started by {record.Requester}",
            record.Id,
            Details(record));

    public static AgentEvent Finished(DeploymentRecord record)
    {
        var at = record.EndedAt ?? record.StartedAt;
        var what = record.Kind == DeploymentKind.Rollback ? $"Rollback of {record.App}" : $"Deploy of {record.Image} to {record.App}";
        var (kind, outcome) = (record.Kind, record.State) switch
        {
            (DeploymentKind.Rollback, DeploymentState.Succeeded) => (AgentEventKind.RollbackSucceeded, "succeeded"),
            (DeploymentKind.Rollback, DeploymentState.Interrupted) => (AgentEventKind.DeployInterrupted, "was interrupted"),
            (DeploymentKind.Rollback, _) => (AgentEventKind.RollbackFailed, "failed"),
            (_, DeploymentState.Succeeded) => (AgentEventKind.DeploySucceeded, "succeeded"),
            (_, DeploymentState.RolledBack) => (AgentEventKind.DeployRolledBack, "failed after the switch and was rolled back"),
            (_, DeploymentState.Interrupted) => (AgentEventKind.DeployInterrupted, "was interrupted"),
            _ => (AgentEventKind.DeployFailed, "failed"),
        };
        var summary = string.IsNullOrEmpty(record.Message) ? $"{what} {outcome}" : $"{what} {outcome}: {record.Message}";
        return new AgentEvent(kind, at, record.App, summary, record.Id, Details(record));
    }

    private static Dictionary<string, string> Details(DeploymentRecord record)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kind"] = record.Kind.ToString(),
            ["state"] = record.State.ToString(),
            ["requested_by"] = record.RequestedBy,
        };
        Add(details, "caller", record.Caller);
        Add(details, "image", record.Image);
        Add(details, "digest", record.Digest);
        Add(details, "commit_sha", record.CommitSha);
        Add(details, "from_slot", record.FromSlot);
        Add(details, "to_slot", record.ToSlot);
        if (record.EndedAt is { } ended)
        {
            details["duration_ms"] = ((long)(ended - record.StartedAt).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        return details;
    }

    private static void Add(Dictionary<string, string> details, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            details[key] = value;
        }
    }
}
