using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class NginxStoppedIsReportedAndNothingElseBreaks(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int FailuresBeforeAction = 2;

    [Fact]
    public async Task TheNginxCheckFailsWhileTheLiveSlotStaysHealthyAndNothingIsHealed()
    {
        await StartAsync(configure: c => c.WithChecksEvery(Interval).WithAutoHeal(FailuresBeforeAction));
        var slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var containerId = (await ContainerAsync(slot))!.Id;
        await CheckReachesAsync("nginx", CheckStatus.Ok, TimeSpan.FromSeconds(10));

        await HostNginx.StopAsync(Token);

        var nginx = await CheckReachesAsync("nginx", CheckStatus.Failing, TimeSpan.FromSeconds(10));
        Assert.Contains("no nginx master", nginx.Message, StringComparison.Ordinal);
        await CheckReachesAsync($"app:{AppName}:live-via-nginx", CheckStatus.Failing, TimeSpan.FromSeconds(10));

        // Long enough for auto-heal to act, were it going to.
        await Task.Delay(Interval * (FailuresBeforeAction + 2), Token);
        var health = await HealthAsync();
        Assert.Equal(CheckStatus.Failing, health.Checks.Single(c => c.Name == "nginx").Status);
        Assert.True(health.Checks.Single(c => c.Name == "nginx").ConsecutiveFailures >= FailuresBeforeAction);
        Assert.Equal(CheckStatus.Ok, health.Checks.Single(c => c.Name == $"app:{AppName}:live").Status);
        Assert.Equal(CheckStatus.Ok, health.Checks.Single(c => c.Name == "docker").Status);
        Assert.Empty(health.OpenIncidents);
        Assert.Empty(await IncidentsAsync());

        // The agent and the app still report serving: the app's own slot answers; "" means the agent is up.
        await AppServingReachesAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(15));
        using var channel = UnixSocketChannel.Create(Config.SocketPath);
        Assert.Equal(
            HealthCheckResponse.Types.ServingStatus.Serving,
            (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Token)).Status);

        var status = await StatusAsync();
        Assert.Equal(slot, status.LiveSlot);
        var container = await ContainerAsync(slot);
        Assert.Equal(containerId, container!.Id);
        Assert.True(container.Running);
        Assert.DoesNotContain("Auto-heal of", Agent.Output.Text, StringComparison.Ordinal);
    }
}
