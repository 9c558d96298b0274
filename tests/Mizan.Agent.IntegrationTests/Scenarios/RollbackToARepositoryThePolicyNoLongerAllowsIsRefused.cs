using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class RollbackToARepositoryThePolicyNoLongerAllowsIsRefused(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const string CanaryRepository = TestImages.Repository + "-canary";

    [Fact]
    public async Task V1FromARepositoryDroppedFromThePolicyIsNotBroughtBackAndV2StaysLive()
    {
        await StartAsync(configure: c => c.WithAllowedRepositories($"{Registry.Host}/{CanaryRepository}"));
        var v1 = await TestImages.PushAsync(AppVariant.V1, Registry, Token, CanaryRepository);
        var first = await DeployAsync(v1.Reference);
        AssertState(first, DeploymentState.Succeeded);
        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;
        var v1Container = await ContainerAsync(AgentConfig.OtherSlot(v2Slot));
        Assert.True(v1Container is { Running: true }, $"v1 must be the running hot standby: {v1Container}");

        AgentConfigBuilder.RewriteAllowedRepositories(Config.FilePath, AppName, []);
        await Agent.RestartAsync(Token);
        var upstreamBefore = ReadUpstreamFile();

        var error = await AssertRpcFailsAsync(StatusCode.PermissionDenied, RollbackAsync);

        Output.WriteLine(error.Status.Detail);
        Assert.Contains($"{Registry.Host}/{CanaryRepository}:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("image policy", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"traffic stays on slot {v2Slot}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        await AssertServesAsync("v2", v2Slot);
        var deployments = (await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments;
        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d => Assert.Equal(DeploymentKind.Deploy, d.Kind));
        var status = await StatusAsync();
        Assert.Equal(v2Slot, status.LiveSlot);
        Assert.Equal("", status.RunningDeploymentId);
    }
}
