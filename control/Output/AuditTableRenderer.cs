using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>`mizanctl audit` as text: one row per recorded call, newest first (the agent's order).</summary>
public sealed class AuditTableRenderer(DeploymentTextRenderer deploymentRenderer)
{
    public string Format(ListAuditResponse response)
    {
        if (response.Entries.Count == 0)
        {
            return "No audit entries match.";
        }

        var table = new TextTable("TIME", "CALLER", "ROLE", "ACTION", "APP", "DETAIL", "PEER", "OUTCOME");
        foreach (var entry in response.Entries)
        {
            var detail = entry.DeploymentId.Length == 0
                ? entry.Detail
                : entry.Detail.Length == 0 ? entry.DeploymentId : $"{entry.Detail} ({entry.DeploymentId})";
            table.AddRow(
                deploymentRenderer.FormatDateTime(entry.At),
                entry.Caller,
                entry.Role,
                entry.Action,
                entry.App,
                detail,
                entry.Peer,
                entry.Outcome);
        }

        return table.ToString();
    }
}
