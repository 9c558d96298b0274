using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class DeployerDeploysOnlyItsOwnApps(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task ADeployerOfAppARefusedOnAppBDeploysAppAOverMutualTls()
    {
        using var deployer = ClientCertificates.Create("ci-github");
        await StartAsync(configure: config => config.WithTrustedClient("ci-github", "Deployer", [ClientCertificates.Thumbprint(deployer)], [AppName]));
        var image = await ImageAsync(AppVariant.V1);
        using var channel = TlsChannel.Create(Config.TcpPort!.Value, deployer, serverThumbprint: null);
        var client = new AgentService.AgentServiceClient(channel.Channel);

        var refused = await AssertRpcFailsAsync(StatusCode.PermissionDenied, () => DeployAsync(image.Tag, app: "otherapp", client: client));
        Assert.Equal("ci-github (deployer) may not Deploy: needs deployer for app otherapp", refused.Status.Detail);
        Assert.Empty(await AppContainersAsync());

        var outcome = await DeployAsync(image.Tag, client: client);
        AssertState(outcome, DeploymentState.Succeeded);
        await AssertServesAsync("v1", outcome.Result!.ToSlot);
    }
}
