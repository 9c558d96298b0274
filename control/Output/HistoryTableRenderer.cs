using Mizan.Agent.V1;

namespace Mizan.Control.Output;

public sealed class HistoryTableRenderer(DeploymentTextRenderer deploymentRenderer)
{
    private const int ShortShaLength = 7;

    public string Format(ListDeploymentsResponse response)
    {
        if (response.Deployments.Count == 0)
        {
            return "No deployments recorded for this app.";
        }

        var table = new TextTable("ID", "KIND", "STATE", "STARTED", "DURATION", "IMAGE", "COMMIT", "REQUESTED BY", "CALLER", "MESSAGE");
        foreach (var deployment in response.Deployments)
        {
            table.AddRow(
                deployment.Id,
                DisplayNames.Of(deployment.Kind),
                DisplayNames.Of(deployment.State),
                deploymentRenderer.FormatDateTime(deployment.StartedAt),
                Durations.Format(Durations.Of(deployment)),
                deployment.Image,
                deployment.CommitSha.Length > ShortShaLength ? deployment.CommitSha[..ShortShaLength] : deployment.CommitSha,
                deployment.RequestedBy,
                deployment.Caller,
                deployment.Message);
        }

        return table.ToString();
    }
}
