using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class NginxConfigTestFailureRestoresPreviousFile(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task ASwitchThatNginxRejectsPutsTheOldUpstreamBackAndTheNextDeployWorks()
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        HostNginx.BreakConfig();

        var outcome = await DeployAsync(AppVariant.V2);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Switch, outcome.FirstFailedStep);
        Assert.Contains("this_is_not_an_nginx_directive", outcome.OnlyEvent(Step.Switch, StepStatus.Failed).Message, StringComparison.Ordinal);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.DoesNotContain(Directory.GetFiles(Nginx.UpstreamsDirectory), f => f != Config.UpstreamFile);
        await AssertServesAsync("v1", v1Slot);
        var v2Container = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(v2Container is null or { Running: false }, $"v2 must not keep running after a failed switch: {v2Container}");
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);

        Nginx.RepairConfig();
        var retry = await DeploySucceedsAsync(AppVariant.V2);
        await AssertServesAsync("v2", retry.Result!.ToSlot);
    }
}
