using System.Diagnostics;
using Mizan.Agent.V1;

namespace Mizan.Bench.Modes;

/// <summary>What one mode's load saw across its switch-and-rollback cycles.</summary>
public sealed record SwitchCyclesResult(
    string Mode,
    int Cycles,
    int FailedMoves,
    PacedLoadReport Load,
    IReadOnlyList<double> SwitchMs,
    IReadOnlyList<double> RollbackMs);

/// <summary>
/// Under <see cref="LoadShape"/> through nginx, moves all traffic back and forth: each cycle is a Switch RPC to the
/// hot standby, then a Rollback RPC back to where it was, so two moves. Between moves the load gets a few dozen more
/// successes, so every move meets idle keep-alive connections.
/// </summary>
public static class SwitchCyclesMeasurement
{
    private const int WarmUpSuccesses = 1_000;
    private const int SuccessesBetweenMoves = LoadShape.Connections;
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(1);

    public static async Task<SwitchCyclesResult> RunAsync(ModeAgent agent, int cycles, CancellationToken cancellationToken)
    {
        await agent.EnsureHotStandbyAsync(cancellationToken);
        var switches = new List<double>();
        var rollbacks = new List<double>();
        var failedMoves = 0;
        await using var load = PacedLoad.Start(agent.Site.BaseAddress, LoadShape.Options, cancellationToken);
        await load.WaitForMoreSuccessesAsync(WarmUpSuccesses, cancellationToken);
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            var before = await agent.SnapshotAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await agent.Client.SwitchAsync(
                    new SwitchRequest { App = agent.App, Slot = before.StandbySlot },
                    deadline: DateTime.UtcNow.AddSeconds(60),
                    cancellationToken: cancellationToken);
                switches.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Grpc.Core.RpcException exception)
            {
                failedMoves++;
                Console.WriteLine($"  {agent.Mode} cycle {cycle}: switch to {before.StandbySlot} failed: {exception.Status.Detail}");
            }

            await load.WaitForMoreSuccessesAsync(SuccessesBetweenMoves, cancellationToken);
            var rollback = await agent.RollbackAsync(cancellationToken);
            if (rollback.Succeeded)
            {
                rollbacks.Add(rollback.ClientTotal.TotalMilliseconds);
            }
            else
            {
                failedMoves++;
                Console.WriteLine($"  {agent.Mode} cycle {cycle}: rollback failed: {rollback.Outcome}");
            }

            await load.WaitForMoreSuccessesAsync(SuccessesBetweenMoves, cancellationToken);
            if (cycle % 50 == 0 || cycle == cycles)
            {
                Console.WriteLine($"  {agent.Mode}: {cycle}/{cycles} cycles, {load.Succeeded} requests ok, {load.Failed} failed so far");
            }
        }

        await Task.Delay(Tail, cancellationToken);
        var report = await load.StopAsync();
        return new SwitchCyclesResult(agent.Mode, cycles, failedMoves, report, switches, rollbacks);
    }
}
