using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class RepeatedIdempotencyKeyReturnsTheSameDeployment(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task ARetriedDeployNeverDeploysTwice()
    {
        await StartAsync();
        await ImageAsync(AppVariant.V1);
        await ImageAsync(AppVariant.V2);
        var key = Guid.NewGuid().ToString();

        var first = await DeployWithKeyAsync("v1", key);
        var retried = await DeployWithKeyAsync("v1", key);

        Assert.Equal(DeploymentState.Succeeded, first.State);
        Assert.Equal(first.DeploymentId, retried.DeploymentId);
        Assert.Equal(DeploymentState.Succeeded, retried.State);
        Assert.Single((await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);

        var error = await AssertRpcFailsAsync(StatusCode.InvalidArgument, () => DeployWithKeyAsync("v2", key));
        Assert.Contains(first.DeploymentId, error.Status.Detail, StringComparison.Ordinal);
        Assert.Single((await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);
    }

    private async Task<DeployOutcome> DeployWithKeyAsync(string image, string key)
    {
        using var call = Client.Deploy(
            new DeployRequest { App = AppName, Image = image, RequestedBy = "integration-test", IdempotencyKey = key },
            deadline: EventStreams.Deadline(),
            cancellationToken: Token);
        return await EventStreams.ReadToEndAsync(call, Token);
    }
}
