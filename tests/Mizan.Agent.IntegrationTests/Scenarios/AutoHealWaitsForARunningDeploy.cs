using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AutoHealWaitsForARunningDeploy(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int FailuresBeforeAction = 2;

    [Fact]
    public async Task TheLiveSlotFailingDuringADeployIsLeftToTheDeployAndItsIncidentClosesWithIt()
    {
        await StartAsync(configure: c => c.WithChecksEvery(Interval).WithAutoHeal(FailuresBeforeAction).WithHealth(startTimeout: TimeSpan.FromSeconds(30)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        await CheckReachesAsync($"app:{AppName}:live", CheckStatus.Ok, TimeSpan.FromSeconds(10));

        // "slow" listens only after 5 s: the deploy holds the app while the live slot fails.
        using var deploy = await StartDeployAsync(AppVariant.Slow);
        var deploymentId = (await deploy.WaitForAsync(e => e.DeploymentId.Length > 0, "the deploy's first event", Token)).DeploymentId;
        await DockerCli.KillAsync(Config.ContainerName(v1Slot), Token);

        await Eventually.TrueAsync(
            () => Agent.Output.Text.Contains($"waits for deployment {deploymentId}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15),
            () => $"auto-heal to say it waits for {deploymentId}{Environment.NewLine}{AgentLogTail(30)}",
            Token);
        var waiting = await HealthAsync();
        Assert.Equal(CheckStatus.Failing, waiting.Checks.Single(c => c.Name == $"app:{AppName}:live").Status);

        var outcome = await deploy.CompletionAsync(Token);
        AssertState(outcome, DeploymentState.Succeeded);
        var slowSlot = outcome.Result!.ToSlot;
        await AssertServesAsync("slow", slowSlot);

        var incident = Assert.Single(await Eventually.ValueAsync(
            _ => IncidentsAsync(),
            rows => rows.Count == 1 && rows[0].ClosedAt is not null,
            TimeSpan.FromSeconds(10),
            rows => $"one closed incident, got {string.Join("; ", rows ?? [])}",
            Token));
        Output.WriteLine(incident.ToString());
        Assert.Contains($"deployment {deploymentId}", incident.Resolution, StringComparison.Ordinal);

        // Auto-heal never acted: the killed v1 was neither restarted nor switched to.
        var v1 = await ContainerAsync(v1Slot);
        Assert.False(v1!.Running, $"v1 stays as the kill left it: {v1}");
        Assert.DoesNotContain("switching traffic to the standby slot", Agent.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("restarting its container", Agent.Output.Text, StringComparison.Ordinal);
        await CheckReachesAsync($"app:{AppName}:live", CheckStatus.Ok, TimeSpan.FromSeconds(10));
    }
}
