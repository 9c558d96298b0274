using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class MizanctlExitCodesFollowTheResult(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task ASuccessfulDeployExits0AndAFailedOneExits1ShowingTheAppsLog()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: TimeSpan.FromSeconds(3)));
        await ImageAsync(AppVariant.V1);
        await ImageAsync(AppVariant.Unhealthy);

        var deployed = await Ctl.RunAsync(["deploy", "--app", AppName, "--image", "v1", "--commit", "abc1234"], Token);
        Assert.True(deployed.ExitCode == 0, $"mizanctl deploy v1: {deployed}");
        var status = await StatusAsync();
        await AssertServesAsync("v1", status.LiveSlot);
        Assert.Contains(status.LastDeployment.Id, deployed.Output, StringComparison.Ordinal);
        Assert.Equal("abc1234", status.LastDeployment.CommitSha);

        var failed = await Ctl.RunAsync(["deploy", "--app", AppName, "--image", "unhealthy"], Token);
        Assert.True(failed.ExitCode == 1, $"mizanctl deploy of an unhealthy build must exit 1: {failed}");
        Assert.Contains(AppImageRecipe.NotFoundLogLine, failed.Output, StringComparison.Ordinal);
        await AssertServesAsync("v1", status.LiveSlot);

        var json = await Ctl.RunAsync(["status", "--app", AppName, "--output", "json"], Token);
        Assert.True(json.ExitCode == 0, $"mizanctl status: {json}");
        Assert.Contains(status.LiveSlot, json.StandardOutput, StringComparison.Ordinal);
    }
}
