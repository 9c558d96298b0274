using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class BothSlotsDownRestartsTheLiveContainer(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int FailuresBeforeAction = 2;

    [Fact]
    public async Task WithNoStandbyToTakeOverTheAgentRestartsTheLiveContainerAndClosesTheIncident()
    {
        await StartAsync(configure: c => c.WithChecksEvery(Interval).WithAutoHeal(FailuresBeforeAction));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;
        var v2Id = (await ContainerAsync(v2Slot))!.Id;
        await CheckReachesAsync($"app:{AppName}:live", CheckStatus.Ok, TimeSpan.FromSeconds(10));

        await DockerCli.KillAsync(Config.ContainerName(v1Slot), Token);
        await DockerCli.KillAsync(Config.ContainerName(v2Slot), Token);

        await Eventually.TrueAsync(
            async _ =>
            {
                var served = await ServedAsync();
                return served.Status == HttpStatusCode.OK && served.Body == "v2";
            },
            Interval * (FailuresBeforeAction + 1) + TimeSpan.FromSeconds(20),
            () => $"the restarted v2 in {v2Slot} to serve again{Environment.NewLine}{AgentLogTail(40)}",
            Token);
        await AssertServesAsync("v2", v2Slot);

        var restarted = await ContainerAsync(v2Slot);
        Assert.Equal(v2Id, restarted!.Id);
        Assert.True(restarted.Running, $"the live container runs again: {restarted}");
        var standby = await ContainerAsync(v1Slot);
        Assert.False(standby!.Running, "auto-heal restarts the live slot only; the dead standby stays as it is");
        Assert.Equal(v2Slot, (await StatusAsync()).LiveSlot);

        var incident = Assert.Single(await Eventually.ValueAsync(
            _ => IncidentsAsync(),
            rows => rows.Count == 1 && rows[0].ClosedAt is not null,
            TimeSpan.FromSeconds(10),
            rows => $"one closed incident, got {string.Join("; ", rows ?? [])}",
            Token));
        Output.WriteLine(incident.ToString());
        Assert.Contains($"restarted the live container in slot {v2Slot}", incident.Resolution, StringComparison.Ordinal);
        Assert.Contains($"slot {v1Slot} is exited", incident.Resolution, StringComparison.Ordinal);
        Assert.True(incident.Duration > TimeSpan.Zero, incident.ToString());
        await CheckReachesAsync($"app:{AppName}:live", CheckStatus.Ok, TimeSpan.FromSeconds(10));
        Assert.Empty((await HealthAsync()).OpenIncidents);
    }
}
