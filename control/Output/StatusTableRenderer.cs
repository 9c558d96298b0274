using Mizan.Agent.V1;

namespace Mizan.Control.Output;

public sealed class StatusTableRenderer(DeploymentTextRenderer deploymentRenderer)
{
    public string Format(GetStatusResponse response)
    {
        if (response.Apps.Count == 0)
        {
            return "No apps are declared in the agent's configuration.";
        }

        var table = new TextTable("APP", "LIVE", "STANDBY", "TRAFFIC", "HEALTH", "LAST DEPLOY");
        foreach (var app in response.Apps)
        {
            var live = app.Slots.FirstOrDefault(slot => slot.Slot == app.LiveSlot && app.LiveSlot.Length > 0);
            var standby = app.Slots.FirstOrDefault(slot => slot != live && slot.State != "missing")
                ?? app.Slots.FirstOrDefault(slot => slot != live);
            table.AddRow(
                app.App,
                live is null ? "-" : DescribeSlot(live),
                standby is null ? "-" : DescribeSlot(standby),
                TrafficText.Of(app.Traffic) + (app.Traffic is { BackupSlot.Length: > 0 } ? $", backup {app.Traffic.BackupSlot}" : ""),
                live?.Health ?? "-",
                DescribeLastDeploy(app));
        }

        return table.ToString();
    }

    private static string DescribeSlot(SlotStatus slot)
    {
        if (slot.Image.Length == 0)
        {
            return slot.State.Length == 0 ? $"{slot.Slot} (no image)" : $"{slot.Slot} ({slot.State})";
        }

        return slot.State is "running" or "" ? $"{slot.Slot} {slot.Image}" : $"{slot.Slot} {slot.Image} ({slot.State})";
    }

    private string DescribeLastDeploy(AppStatus app)
    {
        var text = app.LastDeployment is { } last
            ? $"{last.Id} {DisplayNames.Of(last.State)} {deploymentRenderer.FormatDateTime(last.EndedAt ?? last.StartedAt)}" +
                (last.RequestedBy.Length + last.Caller.Length == 0 ? "" : $" by {DisplayNames.RequesterOf(last)}")
            : "-";
        return app.RunningDeploymentId.Length > 0 && app.RunningDeploymentId != app.LastDeployment?.Id
            ? $"{text} (running: {app.RunningDeploymentId})"
            : text;
    }
}
