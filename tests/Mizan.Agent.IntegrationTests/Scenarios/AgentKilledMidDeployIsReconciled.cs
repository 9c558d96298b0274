using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AgentKilledMidDeployIsReconciled(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AfterASigkillDuringTheHealthCheckTheRestartedAgentMarksItInterruptedAndV1StaysLive()
    {
        await StartAsync(configure: c => c
            .WithEnvironment(AppImageRecipe.StartDelayVariable, "30")
            .WithHealth(startTimeout: TimeSpan.FromSeconds(60)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        await ImageAsync(AppVariant.V2);

        using (var slowDeploy = await StartDeployAsync(AppVariant.Slow))
        {
            var checking = await slowDeploy.WaitForAsync(
                e => e.Step == Step.Check && e.Status == StepStatus.Started,
                "the health check of the slow build",
                Token);
            await Agent.KillAsync();
            await Assert.ThrowsAsync<RpcException>(() => slowDeploy.CompletionAsync(Token));
            await Agent.RestartAsync(Token);

            var interrupted = await GetDeploymentAsync(checking.DeploymentId);
            Assert.True(
                interrupted.State == DeploymentState.Interrupted,
                $"expected INTERRUPTED, got {interrupted.State}: {interrupted.Message}{Environment.NewLine}{AgentLogTail()}");
            Assert.NotNull(interrupted.EndedAt);
            Assert.Equal(Step.Done, interrupted.Events[^1].Step);
        }

        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.True((await ContainerAsync(v1Slot)) is { Running: true }, "v1 must keep running");
        var halfDeployed = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(halfDeployed is { Running: false }, $"the interrupted deploy's unverified container must be stopped: {halfDeployed}");
        var status = await StatusAsync();
        Assert.Equal(v1Slot, status.LiveSlot);
        Assert.Equal("", status.RunningDeploymentId);

        // The lock died with the agent: the next deploy takes the slot the interrupted one left behind.
        var next = await DeploySucceedsAsync(AppVariant.V2);
        Assert.Equal(AgentConfig.OtherSlot(v1Slot), next.Result!.ToSlot);
        await AssertServesAsync("v2", next.Result.ToSlot);
    }
}
