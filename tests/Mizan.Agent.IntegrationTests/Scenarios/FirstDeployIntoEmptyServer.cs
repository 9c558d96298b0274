using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class FirstDeployIntoEmptyServer(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly string[] SlotNames = ["blue", "green"];

    [Fact]
    public async Task V1IsPulledStartedCheckedAndSwitchedLiveStepByStep()
    {
        await StartAsync();
        Assert.Equal("", (await StatusAsync()).LiveSlot);
        Assert.Equal(HttpStatusCode.BadGateway, (await ServedAsync()).Status);
        var v1 = await ImageAsync(AppVariant.V1);

        var outcome = await DeploySucceedsAsync(AppVariant.V1);

        var steps = outcome.Events.Where(e => e.Status is StepStatus.Succeeded or StepStatus.Skipped).Select(e => e.Step).Distinct().ToList();
        Assert.Equal([Step.Validate, Step.Pull, Step.Start, Step.Check, Step.Switch, Step.Verify, Step.Standby, Step.Done], steps);
        Assert.Equal(v1.Digest, outcome.OnlyEvent(Step.Pull, StepStatus.Succeeded).Details["digest"]);
        Assert.Equal(Enumerable.Range(1, outcome.Events.Count), outcome.Events.Select(e => e.Sequence));
        Assert.All(outcome.Events, e => Assert.Equal(outcome.DeploymentId, e.DeploymentId));

        var result = outcome.Result!;
        Assert.Equal(DeploymentKind.Deploy, result.Kind);
        Assert.Equal(v1.Digest, result.Digest);
        Assert.Equal("", result.FromSlot);
        var live = result.ToSlot;
        Assert.Contains(live, SlotNames);

        await AssertServesAsync("v1", live);
        var upstream = ReadUpstreamFile();
        Assert.Contains($"upstream {Config.UpstreamName}", upstream, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{Config.PortOf(live)};", upstream, StringComparison.Ordinal);
        Assert.DoesNotContain($"127.0.0.1:{Config.PortOf(AgentConfig.OtherSlot(live))}", upstream, StringComparison.Ordinal);
        Assert.True((await HostNginx.TestConfigAsync(Token)).ExitCode == 0, "nginx -t must pass with the agent's upstream file");

        var container = await ContainerAsync(live);
        Assert.NotNull(container);
        Assert.True(container.Running, $"{container.Name} is {container.Status}");
        Assert.Equal(AppName, container.Label("mizan.app"));
        Assert.Equal(live, container.Label("mizan.slot"));
        Assert.Equal(outcome.DeploymentId, container.Label("mizan.deployment"));
        Assert.Contains("v1", container.Label("mizan.image"), StringComparison.Ordinal);
        Assert.Equal("host", container.NetworkMode);
        Assert.Contains($"PORT={Config.PortOf(live)}", container.Environment);
        Assert.Null(await ContainerAsync(AgentConfig.OtherSlot(live)));

        var stored = await GetDeploymentAsync(outcome.DeploymentId);
        Assert.Equal(DeploymentState.Succeeded, stored.State);
        Assert.Equal("0123456789abcdef", stored.CommitSha);
        Assert.Contains("integration-test", stored.RequestedBy, StringComparison.Ordinal);
        Assert.Equal(outcome.Events.Select(e => (e.Step, e.Status)), stored.Events.Select(e => (e.Step, e.Status)));

        var status = await StatusAsync();
        Assert.Equal(live, status.LiveSlot);
        Assert.Equal("", status.RunningDeploymentId);
        var liveSlot = Assert.Single(status.Slots, s => s.Slot == live);
        Assert.True(liveSlot.Live);
        Assert.Equal("running", liveSlot.State);
        Assert.Equal(Config.PortOf(live), liveSlot.Port);
        Assert.Equal(outcome.DeploymentId, status.LastDeployment.Id);
    }
}
