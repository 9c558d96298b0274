using System.Diagnostics;
using Mizan.Agent.V1;

namespace Mizan.Bench.Modes;

/// <summary>
/// One `mizanctl rollback`: from its process start to the first answer through nginx from the old release, and to its
/// exit; and, from the agent's record of the rollback (wall clock), when it began and when its switch step ended.
/// </summary>
public sealed record NativeRollbackRound(
    int Number,
    string ToTag,
    double TrafficBackMs,
    double ExitMs,
    int ExitCode,
    string Output,
    double AgentBeganMs,
    double SwitchedMs)
{
    public bool Succeeded => ExitCode == 0 && !double.IsNaN(TrafficBackMs);
}

/// <summary>
/// Times `mizanctl rollback --app APP` with the native (Native AOT) mizanctl, as an operator or a pipeline runs it,
/// from just before its process starts until nginx answers with the old release. A poller sends a GET through nginx
/// every 2 ms on a fresh connection, and is already answering before mizanctl starts; its resolution bounds the error.
/// Each round first waits until nginx is settled on the live release: after a reload (the previous round's, in Reload
/// mode) the old worker may still answer from the old upstream for a moment, which is the release this round waits for.
/// </summary>
public static class NativeRollbackMeasurement
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(30);

    private const int SettledAnswers = 10;

    public static async Task<IReadOnlyList<NativeRollbackRound>> RunAsync(
        ModeAgent agent,
        BenchNginx nginxProcess,
        string mizanctl,
        int rounds,
        CancellationToken cancellationToken)
    {
        var results = new List<NativeRollbackRound>();
        using var nginx = new NginxClient(agent.Site.BaseAddress);
        for (var number = 1; number <= rounds; number++)
        {
            var before = await agent.EnsureHotStandbyAsync(cancellationToken);
            var oldTag = FastAppImages.TagOf(before.StandbyImage) ?? before.StandbyImage;
            await nginxProcess.WaitForOneWorkerAsync(cancellationToken);
            await SettledOnAsync(nginx, FastAppImages.TagOf(before.LiveImage) ?? before.LiveImage, cancellationToken);

            // Only an answer after mizanctl started counts (long.MaxValue until then).
            var started = long.MaxValue;
            using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poller = UpstreamPoller.Start(
                nginx,
                answer => answer.Body == oldTag && Stopwatch.GetTimestamp() > Interlocked.Read(ref started),
                PollDeadline,
                stopPolling.Token,
                PollInterval);
            await poller.FirstAnswer.WaitAsync(cancellationToken);

            var startedWall = DateTimeOffset.UtcNow;
            Interlocked.Exchange(ref started, Stopwatch.GetTimestamp());
            var result = await ProcessRunner.RunAsync(
                mizanctl,
                ["rollback", "--app", agent.App, "--agent", $"unix://{agent.SocketPath}", "--retries", "0"],
                cancellationToken,
                TimeSpan.FromMinutes(2),
                environment: new Dictionary<string, string> { ["NO_COLOR"] = "1", ["GITHUB_ACTIONS"] = "" });
            var exitMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (result.ExitCode != 0)
            {
                await stopPolling.CancelAsync();
            }

            var poll = await poller.Outcome;
            var trafficBack = poll.FirstMatchTimestamp is { } seen ? Stopwatch.GetElapsedTime(started, seen).TotalMilliseconds : double.NaN;
            var deployment = await agent.LatestDeploymentAsync(cancellationToken);
            var switched = deployment.Events.LastOrDefault(e => e.Step == Step.Switch && e.Status == StepStatus.Succeeded)?.At;
            var round = new NativeRollbackRound(
                number,
                oldTag,
                trafficBack,
                exitMs,
                result.ExitCode,
                result.Output,
                deployment.StartedAt is { } began ? (began.ToDateTimeOffset() - startedWall).TotalMilliseconds : double.NaN,
                switched is { } at ? (at.ToDateTimeOffset() - startedWall).TotalMilliseconds : double.NaN);
            results.Add(round);
            if (!round.Succeeded)
            {
                Console.WriteLine($"  {agent.Mode} rollback round {number} FAILED (exit {result.ExitCode}): {result.Output.Trim()}");
            }

            await agent.WaitIdleAsync(cancellationToken);
        }

        var summary = Summary.Of(results.Select(r => r.TrafficBackMs));
        Console.WriteLine($"  {agent.Mode}: {rounds} rollbacks, traffic on the old release after median {TextTable.Ms(summary.Median)} ms");
        return results;
    }

    /// <summary>Waits until <see cref="SettledAnswers"/> GETs in a row through nginx are answered by <paramref name="liveTag"/>.</summary>
    private static async Task SettledOnAsync(NginxClient nginx, string liveTag, CancellationToken cancellationToken) =>
        await Eventually.TrueAsync(
            async token =>
            {
                for (var i = 0; i < SettledAnswers; i++)
                {
                    if ((await nginx.GetAsync("/", token)).Body != liveTag)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(30),
            () => $"{SettledAnswers} answers in a row from {liveTag} through nginx",
            cancellationToken,
            TimeSpan.FromMilliseconds(10));
}
