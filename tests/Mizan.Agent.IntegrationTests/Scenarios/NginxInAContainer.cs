using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class NginxInAContainer(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task FoundByNameItIsTestedAndReloadedThroughDockerForDeployAndRollback()
    {
        await StartAsync(NginxKind.ContainerByName);
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        await AssertServesAsync("v1", v1Slot);

        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;
        await AssertServesAsync("v2", v2Slot);

        AssertState(await RollbackAsync(), DeploymentState.Succeeded);
        await AssertServesAsync("v1", v1Slot);
        Assert.True((await NginxContainer.TestConfigAsync(Token)).ExitCode == 0, "nginx -t inside the container must pass");
        Assert.True((await NginxContainer.InspectAsync(Token)) is { Running: true }, "the nginx container must still run");
    }

    [Fact]
    public async Task FoundByLabelADeployGoesLive()
    {
        await StartAsync(NginxKind.ContainerByLabel);

        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;

        await AssertServesAsync("v1", v1Slot);
        Assert.Contains($"127.0.0.1:{Config.PortOf(v1Slot)};", ReadUpstreamFile(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectedConfigInsideTheContainerLeavesV1Live()
    {
        await StartAsync(NginxKind.ContainerByName);
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        Nginx.BreakConfig();

        var outcome = await DeployAsync(AppVariant.V2);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Switch, outcome.FirstFailedStep);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        await AssertServesAsync("v1", v1Slot);
    }
}
