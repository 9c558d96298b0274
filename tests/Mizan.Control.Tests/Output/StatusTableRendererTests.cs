using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class StatusTableRendererTests
{
    private readonly StatusTableRenderer renderer = new(new DeploymentTextRenderer(TimeZoneInfo.Utc));

    private static AppStatus Web()
    {
        var web = new AppStatus
        {
            App = "web",
            LiveSlot = "green",
            LastDeployment = TestData.Deployment(DeploymentState.Succeeded),
            Traffic = new TrafficSplit { LiveSlot = "green", LivePercent = 100, OtherSlot = "blue", Mode = "Redirect" },
        };
        web.Slots.Add(new SlotStatus { Slot = "blue", Image = "web:v1", State = "running", Health = "healthy" });
        web.Slots.Add(new SlotStatus { Slot = "green", Image = "web:v2", State = "running", Health = "healthy", Live = true });
        return web;
    }

    [Fact]
    public void Format_Apps_RendersAlignedTable()
    {
        var never = new AppStatus { App = "api" };
        never.Slots.Add(new SlotStatus { Slot = "blue", State = "missing", Health = "unknown" });
        never.Slots.Add(new SlotStatus { Slot = "green", State = "missing", Health = "unknown" });
        var response = new GetStatusResponse { Apps = { Web(), never } };

        var expected = string.Join(
            '\n',
            "APP  LIVE          STANDBY         TRAFFIC      HEALTH   LAST DEPLOY",
            "web  green web:v2  blue web:v1     green 100 %  healthy  d-42 succeeded 2024-05-01 12:35:09",
            "api  -             blue (missing)  -            -        -");
        Assert.Equal(expected, renderer.Format(response));
    }

    [Fact]
    public void Format_WeightedWithABackup_ShowsTheSplitAndTheBackup()
    {
        var web = Web();
        web.Traffic = new TrafficSplit { LiveSlot = "green", LivePercent = 90, OtherSlot = "blue", OtherPercent = 10, BackupSlot = "blue" };

        Assert.Contains("green 90 %, blue 10 %, backup blue", renderer.Format(new GetStatusResponse { Apps = { web } }), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_StandbyExited_ShowsContainerState()
    {
        var web = Web();
        web.Slots[0].State = "exited";

        Assert.Contains("blue web:v1 (exited)", renderer.Format(new GetStatusResponse { Apps = { web } }), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_DeployRunning_ShowsRunningId()
    {
        var web = Web();
        web.RunningDeploymentId = "d-43";

        Assert.Contains("(running: d-43)", renderer.Format(new GetStatusResponse { Apps = { web } }), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_LastDeploy_SaysWhatTheClientClaimedAndWhoTheAgentAuthenticated()
    {
        var web = Web();
        web.LastDeployment.RequestedBy = "github:acme/web#42";
        web.LastDeployment.Caller = "ci-github (thumbprint ab12cd34ef56…)";

        Assert.Contains(
            "d-42 succeeded 2024-05-01 12:35:09 by github:acme/web#42 via ci-github (thumbprint ab12cd34ef56…)",
            renderer.Format(new GetStatusResponse { Apps = { web } }),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NoApps_SaysSo() =>
        Assert.Contains("No apps", renderer.Format(new GetStatusResponse()), StringComparison.Ordinal);
}
