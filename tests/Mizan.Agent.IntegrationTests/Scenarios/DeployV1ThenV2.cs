using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class DeployV1ThenV2(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task V2GoesLiveInTheOtherSlotAndV1StaysRunningAsHotStandby()
    {
        await StartAsync();
        var first = await DeploySucceedsAsync(AppVariant.V1);
        var v1Slot = first.Result!.ToSlot;
        var v2 = await ImageAsync(AppVariant.V2);

        var second = await DeploySucceedsAsync(AppVariant.V2);

        var v2Slot = second.Result!.ToSlot;
        Assert.Equal(AgentConfig.OtherSlot(v1Slot), v2Slot);
        Assert.Equal(v1Slot, second.Result.FromSlot);
        Assert.Equal(v2.Digest, second.Result.Digest);
        Assert.True(second.Has(Step.Standby, StepStatus.Succeeded), second.ToString());
        await AssertServesAsync("v2", v2Slot);
        Assert.Contains($"127.0.0.1:{Config.PortOf(v2Slot)};", ReadUpstreamFile(), StringComparison.Ordinal);

        var standby = await ContainerAsync(v1Slot);
        Assert.True(standby is { Running: true }, $"the v1 container must keep running as standby: {standby}");
        Assert.Contains("v1", standby.Label("mizan.image"), StringComparison.Ordinal);
        var live = await ContainerAsync(v2Slot);
        Assert.True(live is { Running: true }, $"the v2 container must run: {live}");
        Assert.Equal(second.DeploymentId, live.Label("mizan.deployment"));

        var status = await StatusAsync();
        Assert.Equal(v2Slot, status.LiveSlot);
        var standbySlot = Assert.Single(status.Slots, s => s.Slot == v1Slot);
        Assert.False(standbySlot.Live);
        Assert.Equal("running", standbySlot.State);
        Assert.NotNull(standbySlot.StandbyUntil);
        Assert.True(standbySlot.StandbyUntil.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30), $"standby until {standbySlot.StandbyUntil}");

        var history = await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName, Limit = 10 }, cancellationToken: Token);
        Assert.Equal(new[] { second.DeploymentId, first.DeploymentId }.Order(), history.Deployments.Select(d => d.Id).Order());
    }
}
