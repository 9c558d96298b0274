using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// A failed deploy lands in the standby slot and replaces the hot standby with a build that never went live.
/// A rollback afterwards must still mean "the release before the live one", never the rejected build.
/// </summary>
public sealed class RollbackAfterAFailedDeployReturnsToThePreviousRelease(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task V1V2ThenAnUnhealthyBuildThenRollbackServesV1()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: TimeSpan.FromSeconds(3)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;
        AssertState(await DeployAsync(AppVariant.Unhealthy), DeploymentState.Failed);
        await AssertServesAsync("v2", v2Slot);

        var rollback = await RollbackAsync();

        AssertState(rollback, DeploymentState.Succeeded);
        Assert.Contains(":v1", rollback.Result!.Image, StringComparison.Ordinal);
        await AssertServesAsync("v1", v1Slot);
    }
}
