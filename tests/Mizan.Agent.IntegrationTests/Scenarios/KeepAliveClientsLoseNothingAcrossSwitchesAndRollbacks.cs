using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect under keep-alive load: a reload makes nginx close idle keep-alive connections, and a client
/// that never retries loses the requests racing that close; a move of the nftables redirects reloads nothing.
/// </summary>
public sealed class KeepAliveClientsLoseNothingAcrossSwitchesAndRollbacks(ITestOutputHelper output) : IntegrationTestBase(output)
{
    /// <summary>Rollbacks and switch primitives, alternating; each moves all traffic to the other slot.</summary>
    private const int Moves = 24;

    /// <summary>Requests that succeed after each move before the next one: the load really crosses every move.</summary>
    private const int SuccessesBetweenMoves = 300;

    [Fact]
    public async Task GetsAndPostsOnKeepAliveConnectionsAllSucceedAndNginxIsNeverReloaded()
    {
        await StartAsync(configure: c => c.WithRedirect().WithMutationsPerMinute(600));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.FastV1)).Result!.ToSlot;
        await AssertAllTrafficToAsync(v1Slot);

        // The first move in this mode pointed nginx at the front ports, with its one reload; nothing may reload it again.
        var upstreamFile = ReadUpstreamFile();
        Assert.Contains($"server 127.0.0.1:{Config.BackupFrontPort} backup max_fails=0;", upstreamFile, StringComparison.Ordinal);
        var worker = await SettledNginxWorkerAsync();
        var reloads = HostNginx.ReloadCount();
        Output.WriteLine($"after the first deploy: nginx worker {worker}, {reloads} reload(s) in its error log");
        Assert.Equal(1, reloads);

        await ImageAsync(AppVariant.FastV2);
        await using var load = RawLoadGenerator.Start(
            Nginx.BaseAddress,
            new RawLoadOptions(Connections: 24, KeepAlive: true, PostEvery: 2, PostBytes: 2048, MaxDuration: TimeSpan.FromMinutes(2)),
            Token);
        await load.WaitForSuccessesAsync(SuccessesBetweenMoves, Token);

        var v2Slot = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        Assert.Equal(AgentConfig.OtherSlot(v1Slot), v2Slot);
        await load.WaitForMoreSuccessesAsync(SuccessesBetweenMoves, Token);

        var live = v2Slot;
        var rollbacks = 0;
        var switches = 0;
        for (var move = 0; move < Moves; move++)
        {
            var target = AgentConfig.OtherSlot(live);
            if (move % 2 == 0)
            {
                var rollback = await RollbackAsync();
                AssertState(rollback, DeploymentState.Succeeded);
                Assert.Equal(target, rollback.Result!.ToSlot);
                rollbacks++;
            }
            else
            {
                var switched = await Client.SwitchAsync(
                    new SwitchRequest { App = AppName, Slot = target },
                    deadline: EventStreams.Deadline(TimeSpan.FromSeconds(30)),
                    cancellationToken: Token);
                Assert.Equal(target, switched.LiveSlot);
                switches++;
            }

            live = target;
            await AssertAllTrafficToAsync(live);
            await load.WaitForMoreSuccessesAsync(SuccessesBetweenMoves, Token);
            Output.WriteLine($"move {move + 1} to {live}: {load.Report().Succeeded} ok, {load.Report().Failed} failed so far");
        }

        var report = await load.StopAsync();
        Output.WriteLine($"{rollbacks} rollbacks and {switches} switches (plus the deploy of v2) under keep-alive load: {report}");

        Assert.True(report.Failed == 0, $"no request may fail across {Moves + 1} moves: {report}{Environment.NewLine}{AgentLogTail(30)}");
        Assert.True(report.ByBody.GetValueOrDefault("fast-v1") > 0 && report.ByBody.GetValueOrDefault("fast-v2") > 0, $"both versions answered: {report}");
        Assert.True(report.ByMethod.GetValueOrDefault("POST") >= report.Succeeded / 3, $"POSTs are a good share of the load: {report}");
        Assert.True(report.Connections < 24 * 10, $"the clients kept their connections (nginx closes one after 1,000 requests): {report}");
        Assert.True(
            report.ByUpstream.Keys.All(upstream => Config.PrimaryFrontPorts.Any(port => upstream == $"127.0.0.1:{port}")),
            $"every answer came through a primary front port: {report}");

        Assert.Equal(reloads, HostNginx.ReloadCount());
        Assert.Equal([worker], HostNginx.WorkerPids());
        Assert.Equal(upstreamFile, ReadUpstreamFile());
        Assert.Equal(live, (await StatusAsync()).LiveSlot);
    }
}
