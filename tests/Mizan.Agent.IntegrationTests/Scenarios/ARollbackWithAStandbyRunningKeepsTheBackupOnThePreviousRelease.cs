using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect's backup front port follows the hot standby, which is always the previous release: after a
/// deploy it leads to the release before, after a rollback to the release rolled back from. A deploy that puts a new
/// build into the standby slot withdraws the backup before the old container goes, so nginx never fails over to a
/// build nobody has verified, and a build that fails its check gets no backup either.
/// </summary>
public sealed class ARollbackWithAStandbyRunningKeepsTheBackupOnThePreviousRelease(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheBackupLeadsToV1ThenToV2AndNeverToTheUnhealthyBuild()
    {
        await StartAsync(configure: c => c.WithRedirect().WithHealth(startTimeout: TimeSpan.FromSeconds(4)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.FastV1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        await AssertBackupAsync(live: v2Slot, backup: v1Slot, "after v1 and v2");

        var rollback = await RollbackAsync();
        AssertState(rollback, DeploymentState.Succeeded);
        Assert.Equal(v1Slot, rollback.Result!.ToSlot);
        await AssertBackupAsync(live: v1Slot, backup: v2Slot, "after the rollback to v1");
        var v2Container = (await ContainerAsync(v2Slot))!;
        Assert.True(v2Container.Running, $"v2 stands by: {v2Container}");

        // The deploy replaces v2 in the backup slot with a build that never gets healthy. Looked at in this order
        // (the slot's container, then the table), the table must have let go of the slot once v2's container is gone.
        var deploy = await StartDeployAsync(AppVariant.Unhealthy);
        var samples = 0;
        var withNewBuild = 0;
        var task = deploy.CompletionAsync(Token);
        while (!task.IsCompleted)
        {
            var container = await ContainerAsync(v2Slot);
            var redirects = await RedirectsAsync();
            samples++;
            if (container is null || container.Id != v2Container.Id)
            {
                withNewBuild++;
                Assert.True(
                    redirects.GetValueOrDefault(Config.BackupFrontPort) != Config.PortOf(v2Slot),
                    $"with {(container is null ? "no container" : $"the new build {container.ImageReference}")} in {v2Slot}, the backup front port " +
                    $"must not lead to it: [{string.Join(", ", redirects.Select(r => $"{r.Key}->{r.Value}"))}]");
            }
        }

        var outcome = await task;
        Output.WriteLine($"{samples} looks at the slot and the table while the deploy ran, {withNewBuild} of them with v2's container gone");
        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Check, outcome.FirstFailedStep);
        Assert.True(withNewBuild > 0, "the table was looked at while the new build was in the slot");

        // No standby is worth failing over to: the backup port leads to the live v1 itself.
        await AssertBackupLeadsToTheLiveV1Async(v1Slot, "after the failed deploy");
        Assert.Equal("", (await StatusAsync()).Traffic.BackupSlot);

        // A move that weighs the backup again (a weight of 100 % to the live slot) still finds no standby worth it.
        var weight = await Ctl.RunAsync(["weight", "--app", AppName, "--slot", v1Slot, "--percent", "100"], Token);
        Assert.True(weight.ExitCode == 0, weight.ToString());
        Assert.Matches(@"(?m)^backup:\s+none$", weight.StandardOutput);
        await AssertBackupLeadsToTheLiveV1Async(v1Slot, "after the weight");
        var served = await ServedAsync();
        Assert.True(served.Status == HttpStatusCode.OK && served.Body == "fast-v1", $"v1 stays live: {served}");
    }

    private async Task AssertBackupLeadsToTheLiveV1Async(string v1Slot, string when)
    {
        var redirects = await AssertAllTrafficToAsync(v1Slot);
        var shown = string.Join(", ", redirects.Select(r => $"{r.Key}->{r.Value}"));
        Assert.True(
            redirects.GetValueOrDefault(Config.BackupFrontPort) == Config.PortOf(v1Slot),
            $"{when}: the backup front port leads to the live v1 ({Config.PortOf(v1Slot)}), not to the failed build's port " +
            $"({Config.PortOf(AgentConfig.OtherSlot(v1Slot))}): [{shown}]");
    }

    private async Task AssertBackupAsync(string live, string backup, string when)
    {
        var redirects = await AssertAllTrafficToAsync(live);
        Assert.True(
            redirects.GetValueOrDefault(Config.BackupFrontPort) == Config.PortOf(backup),
            $"{when}: the backup front port {Config.BackupFrontPort} leads to {backup} ({Config.PortOf(backup)}): " +
            $"[{string.Join(", ", redirects.Select(r => $"{r.Key}->{r.Value}"))}]");
        var status = await StatusAsync();
        Assert.Equal(live, status.LiveSlot);
        Assert.Equal(backup, status.Traffic.BackupSlot);
    }
}
