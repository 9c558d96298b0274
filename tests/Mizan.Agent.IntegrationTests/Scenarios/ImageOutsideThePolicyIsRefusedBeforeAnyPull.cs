using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ImageOutsideThePolicyIsRefusedBeforeAnyPull(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AnotherRepositoryIsPermissionDeniedAndNothingIsPulledOrStarted()
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        // Were it pulled, the answer would be a pull failure (it is not in the registry), not PERMISSION_DENIED.
        var elsewhere = $"{Registry.Host}/someone-else/app:v2";
        var upstreamBefore = ReadUpstreamFile();

        var error = await AssertRpcFailsAsync(StatusCode.PermissionDenied, () => DeployAsync(elsewhere));

        Assert.Contains("image policy", error.Status.Detail, StringComparison.Ordinal);
        Assert.NotEqual(0, (await DockerCli.TryAsync(["image", "inspect", elsewhere], Token)).ExitCode);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        await AssertServesAsync("v1", v1Slot);
        Assert.Single((await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);
    }
}
