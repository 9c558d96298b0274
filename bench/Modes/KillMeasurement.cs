using System.Globalization;

namespace Mizan.Bench.Modes;

/// <summary>One `docker kill` of the live container under load, and what the load saw around it.</summary>
/// <param name="Signalled">When the bench sent the engine the kill; the container died between this and <paramref name="Died"/>.</param>
/// <param name="Died">When the container died, as the engine recorded it (State.FinishedAt).</param>
/// <param name="StandbyAnswerMs">Death → the first 200 from the standby's release; NaN when it never answered.</param>
/// <param name="HealedMs">Death → the agent reporting the standby slot live (auto-heal's switch done).</param>
public sealed record KillRound(
    int Number,
    string KilledSlot,
    string StandbyTag,
    DateTimeOffset Signalled,
    DateTimeOffset Died,
    PacedLoadReport Load,
    double StandbyAnswerMs,
    double HealedMs)
{
    /// <summary>
    /// POSTs in flight at the kill: sent before the engine recorded the death, ended (answered or failed) after the kill
    /// was sent. A POST that had reached the dying container cannot be retried elsewhere by nginx, so these are the ones
    /// that may fail. The window (a few milliseconds) holds the real death.
    /// </summary>
    public int PostsInFlightAtDeath => Load.Requests.Count(r => r.Post && Load.WallOf(r.Sent) <= Died && Load.WallOf(r.Done) >= Signalled);

    /// <summary>When the failed requests ended, in ms from the death (negative: before it), to tell the kill's from later ones.</summary>
    public IReadOnlyList<double> FailedAtMs => [.. Load.Requests.Where(r => !r.Succeeded).Select(r => (Load.WallOf(r.Done) - Died).TotalMilliseconds)];

    /// <summary>Failed GETs that ended 100 ms or more after the death: not the kill's own, but later (at the auto-heal's switch, say).</summary>
    public int FailedGetsLater => FailedLater(post: false);

    /// <summary>The same for POSTs.</summary>
    public int FailedPostsLater => FailedLater(post: true);

    private int FailedLater(bool post) =>
        Load.Requests.Count(r => r.Post == post && !r.Succeeded && (Load.WallOf(r.Done) - Died).TotalMilliseconds >= 100);

    /// <summary>
    /// Death → the first request that ended at all (answered or failed): when it is close to <see cref="StandbyAnswerMs"/>,
    /// the wait was the client's or nginx's, not the routing's.
    /// </summary>
    public double AnyAnswerMs => Load.Requests
        .Where(r => Load.WallOf(r.Done) > Died)
        .Select(r => (Load.WallOf(r.Done) - Died).TotalMilliseconds)
        .DefaultIfEmpty(double.NaN)
        .Min();
}

/// <summary>
/// Per round, with a hot standby running the other release: puts <see cref="LoadShape"/> on nginx, kills the live
/// container as `docker kill` does (SIGKILL, as a crash; <see cref="DockerEngine"/>), and keeps the load on until the agent's auto-heal has made the
/// standby live and a second more. Between rounds the killed slot is deployed again (the kill left it stopped).
/// </summary>
public static class KillMeasurement
{
    private const int WarmUpSuccesses = 500;
    private static readonly TimeSpan HealDeadline = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<KillRound>> RunAsync(ModeAgent agent, int rounds, CancellationToken cancellationToken)
    {
        var results = new List<KillRound>();
        for (var number = 1; number <= rounds; number++)
        {
            var round = await RunOnceAsync(agent, number, cancellationToken);
            results.Add(round);
            Console.WriteLine($"  {agent.Mode} kill round {number}: killed {round.KilledSlot}; {round.Load.Total} requests, failed GET " +
                $"{round.Load.FailedGets}, failed POST {round.Load.FailedPosts} ({round.PostsInFlightAtDeath} POSTs in flight at the death); " +
                $"standby answered after {TextTable.Ms(round.StandbyAnswerMs)} ms, healed after {TextTable.Ms(round.HealedMs)} ms; " +
                $"kill sent -> death {(round.Died - round.Signalled).TotalMilliseconds:0.0} ms");
            if (round.Load.Failed > 0)
            {
                var failed = round.FailedAtMs;
                var each = failed.Count <= 5 ? $" ({string.Join(", ", failed.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)))})" : "";
                Console.WriteLine($"    failures ended from {failed.Min():0} to {failed.Max():0} ms after the death{each}");
            }

            foreach (var error in round.Load.FirstErrors.Take(3))
            {
                Console.WriteLine($"    {error}");
            }
        }

        return results;
    }

    private static async Task<KillRound> RunOnceAsync(ModeAgent agent, int number, CancellationToken cancellationToken)
    {
        var before = await agent.EnsureHotStandbyAsync(cancellationToken);
        var standbyTag = FastAppImages.TagOf(before.StandbyImage)
            ?? throw new InvalidOperationException($"{agent.Mode}: the standby runs {before.StandbyImage}, not a tag of the bench");
        await agent.WaitForLiveCheckAsync(DateTimeOffset.UtcNow, cancellationToken);

        await using var load = PacedLoad.Start(agent.Site.BaseAddress, LoadShape.Options, cancellationToken);
        await load.WaitForMoreSuccessesAsync(WarmUpSuccesses, cancellationToken);
        var container = agent.ContainerName(before.LiveSlot);
        var signalled = await DockerEngine.KillAsync(container, cancellationToken);
        var died = (await DockerTimes.InspectAsync(container, cancellationToken)).FinishedAt;

        double healedMs;
        try
        {
            await Eventually.TrueAsync(
                async _ => (await agent.SnapshotAsync(cancellationToken)).LiveSlot == before.StandbySlot,
                HealDeadline,
                () => $"{agent.Mode}: auto-heal to make slot {before.StandbySlot} live",
                cancellationToken,
                TimeSpan.FromMilliseconds(20));
            healedMs = (DateTimeOffset.UtcNow - died).TotalMilliseconds;
        }
        catch (TimeoutException exception)
        {
            Console.WriteLine($"  {agent.Mode} kill round {number}: {exception.Message}");
            healedMs = double.NaN;
        }

        await Task.Delay(Tail, cancellationToken);
        var report = await load.StopAsync();
        var standbyAnswers = report.Requests
            .Where(r => r.Answer == standbyTag && report.WallOf(r.Done) > died)
            .Select(r => (report.WallOf(r.Done) - died).TotalMilliseconds)
            .DefaultIfEmpty(double.NaN)
            .Min();
        await agent.WaitIdleAsync(cancellationToken);
        return new KillRound(number, before.LiveSlot, standbyTag, signalled, died, report, standbyAnswers, healedMs);
    }
}
