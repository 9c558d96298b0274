using Google.Rpc;
using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class SecondDeployWhileOneRunsIsRefused(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task MizanctlExitsWith4NamingTheRunningDeployAndTheFirstDeployStillSucceeds()
    {
        await StartAsync(configure: c => c
            // Long enough that the slow deploy still runs after mizanctl and a direct call were both refused, on a loaded machine too.
            .WithEnvironment(AppImageRecipe.StartDelayVariable, "15")
            .WithHealth(startTimeout: TimeSpan.FromSeconds(40)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        await ImageAsync(AppVariant.V2);

        using var slowDeploy = await StartDeployAsync(AppVariant.Slow);
        var running = (await slowDeploy.WaitForAsync(e => e.Step == Step.Start, "the slow deploy to start its container", Token)).DeploymentId;
        Assert.Equal(running, (await StatusAsync()).RunningDeploymentId);

        var refused = await Ctl.RunAsync(["deploy", "--app", AppName, "--image", "v2"], Token);
        Assert.True(refused.ExitCode == 4, $"mizanctl must exit 4 while {running} runs: {refused}");
        Assert.Contains(running, refused.Output, StringComparison.Ordinal);

        var rpc = await AssertRpcFailsAsync(StatusCode.FailedPrecondition, () => DeployAsync("v2"));
        Assert.Contains(running, rpc.Status.Detail, StringComparison.Ordinal);
        var reason = rpc.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.Equal("LOCK_HELD", reason?.Reason);
        Assert.Equal(running, reason?.Metadata["holder"]);
        await AssertServesAsync("v1", v1Slot);

        var first = await slowDeploy.CompletionAsync(Token);
        AssertState(first, DeploymentState.Succeeded);
        await AssertServesAsync("slow", first.Result!.ToSlot);
        var images = (await AppContainersAsync()).Select(c => c.Label("mizan.image")).ToList();
        Assert.DoesNotContain(images, image => image.EndsWith(":v2", StringComparison.Ordinal));
        var history = await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token);
        Assert.Equal(2, history.Deployments.Count);
    }
}
