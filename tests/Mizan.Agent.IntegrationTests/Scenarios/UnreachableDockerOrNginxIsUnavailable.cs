using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class UnreachableDockerOrNginxIsUnavailable(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task NoDockerEngineGivesUnavailableNamingTheEngineAndStartsNothing()
    {
        await StartAsync(configure: c => c.WithDockerEndpoint("unix:///run/mizan-it-no-such-docker.sock"));
        await ImageAsync(AppVariant.V1);
        var upstreamBefore = ReadUpstreamFile();

        var error = await AssertRpcFailsAsync(StatusCode.Unavailable, () => DeployAsync("v1"));

        Assert.Contains("Docker engine", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("mizan-it-no-such-docker.sock", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await AppContainersAsync());
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.Empty((await Client.ListDeploymentsAsync(new Agent.V1.ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);
    }

    [Fact]
    public async Task NoNginxGivesUnavailableNamingNginxAndStartsNothing()
    {
        await StartAsync(configure: c => c.WithNginxBinary("/usr/sbin/mizan-it-no-such-nginx"));
        await ImageAsync(AppVariant.V1);
        var upstreamBefore = ReadUpstreamFile();

        var error = await AssertRpcFailsAsync(StatusCode.Unavailable, () => DeployAsync("v1"));

        Assert.Contains("nginx", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await AppContainersAsync());
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
    }
}
