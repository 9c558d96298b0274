using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class PipelineDrivesItsOwnSteps(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task PullStartCheckSwitchPutV2LiveAndTheLiveSlotIsProtected()
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var standby = AgentConfig.OtherSlot(v1Slot);
        await ImageAsync(AppVariant.V2);
        await ImageAsync(AppVariant.Unhealthy);

        var pulled = await Ctl.RunAsync(["pull", "--app", AppName, "--image", "v2"], Token);
        Assert.True(pulled.ExitCode == 0, $"mizanctl pull: {pulled}");
        Assert.Contains("sha256:", pulled.Output, StringComparison.Ordinal);

        var intoLive = await Ctl.RunAsync(["start", "--app", AppName, "--image", "v2", "--slot", v1Slot], Token);
        Assert.True(intoLive.ExitCode == 5, $"starting into the live slot must be refused with exit 5: {intoLive}");
        await AssertServesAsync("v1", v1Slot);

        var checkEmpty = await Ctl.RunAsync(["check", "--app", AppName, "--slot", standby], Token);
        Assert.True(checkEmpty.ExitCode == 6, $"checking a slot with no container must exit 6: {checkEmpty}");

        var started = await Ctl.RunAsync(["start", "--app", AppName, "--image", "v2"], Token);
        Assert.True(started.ExitCode == 0, $"mizanctl start: {started}");
        Assert.True((await ContainerAsync(standby)) is { Running: true }, "v2 must run in the standby slot");
        await AssertServesAsync("v1", v1Slot);

        var checkedSlot = await Ctl.RunAsync(["check", "--app", AppName], Token);
        Assert.True(checkedSlot.ExitCode == 0, $"mizanctl check: {checkedSlot}");

        var switched = await Ctl.RunAsync(["switch", "--app", AppName, "--slot", standby], Token);
        Assert.True(switched.ExitCode == 0, $"mizanctl switch: {switched}");
        await AssertServesAsync("v2", standby);
        Assert.Equal(standby, (await StatusAsync()).LiveSlot);
    }

    [Fact]
    public async Task SwitchingToASlotThatDoesNotAnswerIsRefused()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: TimeSpan.FromSeconds(2)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var standby = AgentConfig.OtherSlot(v1Slot);
        await ImageAsync(AppVariant.Unhealthy);
        var upstreamBefore = ReadUpstreamFile();

        var started = await Ctl.RunAsync(["start", "--app", AppName, "--image", "unhealthy"], Token);
        Assert.True(started.ExitCode == 0, $"mizanctl start: {started}");
        var checkedSlot = await Ctl.RunAsync(["check", "--app", AppName, "--slot", standby], Token);
        Assert.True(checkedSlot.ExitCode == 1, $"an unhealthy slot's check must exit 1: {checkedSlot}");

        var switched = await Ctl.RunAsync(["switch", "--app", AppName, "--slot", standby], Token);

        Assert.True(switched.ExitCode == 7, $"switching to an unhealthy slot must be refused with exit 7: {switched}");
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        await AssertServesAsync("v1", v1Slot);
    }
}
