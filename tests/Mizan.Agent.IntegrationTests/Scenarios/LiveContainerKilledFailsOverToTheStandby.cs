using System.Diagnostics;
using System.Net;
using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class LiveContainerKilledFailsOverToTheStandby(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int FailuresBeforeAction = 2;

    [Fact]
    public async Task TheAgentSwitchesToTheStandbyWithinTheChecksAndRecordsTheIncident()
    {
        await StartAsync(configure: c => c.WithChecksEvery(Interval).WithAutoHeal(FailuresBeforeAction));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;
        var live = $"app:{AppName}:live";
        await CheckReachesAsync(live, CheckStatus.Ok, TimeSpan.FromSeconds(10));
        await CheckReachesAsync($"app:{AppName}:standby", CheckStatus.Ok, TimeSpan.FromSeconds(10));
        await AppServingReachesAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(15));

        await using var load = LoadGenerator.Start(
            Nginx.BaseAddress,
            new LoadOptions(Workers: 2, KeepAlive: false, MaxDuration: TimeSpan.FromMinutes(1)),
            Token);
        await load.WaitForSuccessesAsync(20, Token);
        var killedAt = Stopwatch.GetTimestamp();
        await DockerCli.KillAsync(Config.ContainerName(v2Slot), Token);

        // Interval × K to notice, plus the switch; a generous margin for a busy 2-core machine.
        var budget = Interval * (FailuresBeforeAction + 1) + TimeSpan.FromSeconds(8);
        await Eventually.TrueAsync(
            async _ =>
            {
                var served = await ServedAsync();
                return served.Status == HttpStatusCode.OK && served.Body == "v1";
            },
            budget,
            () => $"nginx to serve v1 from the standby slot {v1Slot} after v2 in {v2Slot} was killed{Environment.NewLine}{AgentLogTail(40)}",
            Token);
        var failover = Stopwatch.GetElapsedTime(killedAt);

        // For a moment after the reload nginx's old workers still answer from the old upstream: wait until it settles.
        await Eventually.TrueAsync(
            async _ =>
            {
                for (var i = 0; i < 3; i++)
                {
                    var served = await ServedAsync();
                    if (served.Status != HttpStatusCode.OK || served.Body != "v1")
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(10),
            () => $"three answers in a row from v1 through nginx{Environment.NewLine}{AgentLogTail(20)}",
            Token);
        await AssertServesAsync("v1", v1Slot);
        var report = await load.StopAsync();
        Output.WriteLine($"failover: {failover.TotalMilliseconds:0} ms from docker kill to v1 answering through nginx; load: {report}");

        var incident = Assert.Single(await Eventually.ValueAsync(
            _ => IncidentsAsync(),
            rows => rows.Count == 1 && rows[0].ClosedAt is not null,
            TimeSpan.FromSeconds(10),
            rows => $"one closed incident, got {string.Join("; ", rows ?? [])}",
            Token));
        Output.WriteLine(incident.ToString());
        Assert.Contains($"slot {v2Slot}", incident.Reason, StringComparison.Ordinal);
        Assert.Contains($"switched traffic to the standby slot {v1Slot}", incident.Resolution, StringComparison.Ordinal);
        Assert.NotNull(incident.DeploymentId);
        Assert.True(
            incident.Duration > TimeSpan.Zero && incident.Duration < failover + Interval,
            $"recovery time {incident.Duration} is recorded and within the failover {failover}");

        await CheckReachesAsync(live, CheckStatus.Ok, TimeSpan.FromSeconds(10));
        Assert.Empty((await HealthAsync()).OpenIncidents);
        await AppServingReachesAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(15));
        var status = await StatusAsync();
        Assert.Equal(v1Slot, status.LiveSlot);
        Assert.Contains($"127.0.0.1:{Config.PortOf(v1Slot)};", ReadUpstreamFile(), StringComparison.Ordinal);

        // The killed slot is no standby: left stopped for its logs, with no standby lease.
        var failed = await ContainerAsync(v2Slot);
        Assert.False(failed!.Running, $"the failed container stays stopped: {failed}");
        Assert.All(status.Slots, slot => Assert.Null(slot.StandbyUntil));
        Assert.Contains("switching traffic to the standby slot", Agent.Output.Text, StringComparison.Ordinal);
    }
}
