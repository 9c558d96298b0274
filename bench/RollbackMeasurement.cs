using System.Diagnostics;
using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>One rollback: from which slot to which, when traffic was seen on the old version, and the RPC itself.</summary>
public sealed record RollbackRound(int Number, string FromSlot, string ToSlot, int ToPort, PollOutcome Poll, RecordedDeployment Run)
{
    /// <summary>Request sent → first answer through nginx from the old slot; NaN when it was never seen.</summary>
    public double TrafficBackMs => Poll.FirstMatchTimestamp is { } seen
        ? Stopwatch.GetElapsedTime(Run.SentTimestamp, seen).TotalMilliseconds
        : double.NaN;

    public double RpcTotalMs => Run.ClientTotal.TotalMilliseconds;
}

/// <summary>Rolls back repeatedly (each rollback flips back to the slot the previous one left), timing when traffic really moves.</summary>
public static class RollbackMeasurement
{
    private static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<RollbackRound>> RunAsync(
        AgentService.AgentServiceClient agent,
        BenchOptions options,
        CancellationToken cancellationToken)
    {
        var rounds = new List<RollbackRound>();
        using var nginx = new NginxClient(options.Url);
        for (var number = 1; number <= options.Rounds; number++)
        {
            var round = await RunOnceAsync(agent, nginx, options.App, number, cancellationToken);
            rounds.Add(round);
            Console.WriteLine($"  rollback round {number}: slot {round.FromSlot} -> {round.ToSlot}, traffic back after {Milliseconds(round.TrafficBackMs)}, " +
                $"RPC {round.RpcTotalMs:0} ms, {round.Run.Outcome}");
        }

        return rounds;
    }

    public static Task<RecordedDeployment> RollbackAsync(AgentService.AgentServiceClient agent, string app, CancellationToken cancellationToken) =>
        RecordedDeployment.RunAsync(
            () => agent.Rollback(
                new RollbackRequest { App = app, RequestedBy = "mizan-bench" },
                deadline: DateTime.UtcNow.AddMinutes(3),
                cancellationToken: cancellationToken),
            cancellationToken);

    private static async Task<RollbackRound> RunOnceAsync(
        AgentService.AgentServiceClient agent,
        NginxClient nginx,
        string app,
        int number,
        CancellationToken cancellationToken)
    {
        var before = await AppSnapshot.ReadAsync(agent, app, cancellationToken);
        if (before.StandbyPort == 0)
        {
            throw new InvalidOperationException($"app '{app}' has no standby slot to roll back to (live: '{before.LiveSlot}')");
        }

        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = UpstreamPoller.Start(nginx, before.StandbyPort, PollDeadline, stopPolling.Token);
        await poller.FirstAnswer.WaitAsync(cancellationToken);
        var run = await RollbackAsync(agent, app, cancellationToken);
        if (!run.Succeeded)
        {
            // Traffic will not move: do not wait for the poller's deadline.
            await stopPolling.CancelAsync();
        }

        var poll = await poller.Outcome;
        return new RollbackRound(number, before.LiveSlot, before.StandbySlot, before.StandbyPort, poll, run);
    }

    private static string Milliseconds(double milliseconds) => double.IsNaN(milliseconds) ? "never" : $"{milliseconds:0} ms";
}
