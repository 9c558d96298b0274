using Grpc.Core;
using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ViewerCannotDeployOverTcp(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AViewerReadsHistoryAndHealthButItsDeployIsPermissionDeniedNamingTheRight()
    {
        using var viewer = ClientCertificates.Create("ci-view");
        await StartAsync(configure: config => config.WithTrustedClient("ci-view", "Viewer", [ClientCertificates.Thumbprint(viewer)]));
        var image = await ImageAsync(AppVariant.V1);
        using var channel = TlsChannel.Create(Config.TcpPort!.Value, viewer, serverThumbprint: null);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await MutualTls.HealthAsync(channel, Token));
        Assert.Equal(0, await MutualTls.ListDeploymentsAsync(channel, AppName, Token));

        var refused = await AssertRpcFailsAsync(
            StatusCode.PermissionDenied,
            () => DeployAsync(image.Tag, client: new AgentService.AgentServiceClient(channel.Channel)));
        Assert.Equal($"ci-view (viewer) may not Deploy: needs deployer for app {AppName}", refused.Status.Detail);
        await AssertRpcFailsAsync(
            StatusCode.PermissionDenied,
            () => new AgentService.AgentServiceClient(channel.Channel)
                .SwitchAsync(new SwitchRequest { App = AppName, Slot = "blue" }, cancellationToken: Token)
                .ResponseAsync);

        Assert.Empty(await AppContainersAsync());
        Assert.Empty((await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);
    }
}
