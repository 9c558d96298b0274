using System.Diagnostics;
using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>
/// One failover: which slot was killed, when nginx answered from the standby again (a Stopwatch timestamp, from the poller), what the load
/// saw meanwhile.
/// </summary>
/// <param name="StillOpenIncidents">Incidents GetHealth lists as open after the round: 0 when the agent closed the one the kill opened.</param>
public sealed record FailoverRound(
    int Number,
    string KilledSlot,
    string StandbySlot,
    long KilledTimestamp,
    PollOutcome Poll,
    LoadReport Load,
    int StillOpenIncidents)
{
    /// <summary>`docker kill` returned (the container is dead) → first answer through nginx from the standby; NaN when never seen.</summary>
    public double FailoverMs => Poll.FirstMatchTimestamp is { } seen ? Stopwatch.GetElapsedTime(KilledTimestamp, seen).TotalMilliseconds : double.NaN;
}

/// <summary>
/// `mizan-bench --failover`: per round, deploys the two tags (so the first one stays as a running hot standby), puts
/// load on nginx, kills the live container with `docker kill`, and times how long until nginx answers from the
/// standby again, which the agent's auto-heal brings about (Checks:Interval × Apps:NAME:AutoHeal:FailuresBeforeAction
/// to notice, then the switch).
/// </summary>
public static class FailoverMeasurement
{
    private const int WarmUpSuccesses = 100;
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<FailoverRound>> RunAsync(
        AgentService.AgentServiceClient agent,
        BenchOptions options,
        CancellationToken cancellationToken)
    {
        var rounds = new List<FailoverRound>();
        using var nginx = new NginxClient(options.Url);
        for (var number = 1; number <= options.Rounds; number++)
        {
            var round = await RunOnceAsync(agent, nginx, options, number, cancellationToken);
            rounds.Add(round);
            Console.WriteLine($"  failover round {number}: killed slot {round.KilledSlot}, standby {round.StandbySlot} " +
                $"answered after {Milliseconds(round.FailoverMs)}; load {round.Load.Total} requests, {round.Load.Failed} failed; " +
                $"open incidents after: {round.StillOpenIncidents}");
        }

        return rounds;
    }

    private static async Task<FailoverRound> RunOnceAsync(
        AgentService.AgentServiceClient agent,
        NginxClient nginx,
        BenchOptions options,
        int number,
        CancellationToken cancellationToken)
    {
        // Deploy both tags every round: the previous round's failover left the killed slot stopped, so no standby.
        foreach (var tag in options.Images)
        {
            var deploy = await DeployRoundsMeasurement.DeployAsync(agent, options.App, tag, cancellationToken);
            if (!deploy.Succeeded)
            {
                throw new InvalidOperationException($"round {number}: deploying {tag} did not succeed ({deploy.Outcome}); cannot set up a standby");
            }
        }

        var before = await AppSnapshot.ReadAsync(agent, options.App, cancellationToken);
        if (before.StandbyPort == 0 || before.LivePort == 0)
        {
            throw new InvalidOperationException($"round {number}: app '{options.App}' has no live and standby slot after two deploys");
        }

        await WaitForCheckAsync(agent, options.App, cancellationToken);
        var loadOptions = new LoadOptions(
            Workers: options.Concurrency,
            KeepAlive: false,
            MaxDuration: FailoverDeadline + TimeSpan.FromSeconds(30),
            MaxRequests: 5_000_000);
        await using var load = LoadGenerator.Start(options.Url, loadOptions, cancellationToken);
        await load.WaitForSuccessesAsync(WarmUpSuccesses, cancellationToken);

        // Nothing answers from the standby before the failover, so the poller can start first and be warm.
        var poller = UpstreamPoller.Start(nginx, before.StandbyPort, FailoverDeadline, cancellationToken);
        await poller.FirstAnswer.WaitAsync(cancellationToken);
        var killedAt = await DockerKillAsync($"mizan-{options.App}-{before.LiveSlot}", cancellationToken);
        var poll = await poller.Outcome;
        await Task.Delay(Tail, cancellationToken);
        var report = await load.StopAsync();
        var open = await OpenIncidentsAsync(agent, options.App, cancellationToken);
        return new FailoverRound(number, before.LiveSlot, before.StandbySlot, killedAt, poll, report, open);
    }

    /// <summary>The live slot's check has passed since the deploy, so the kill is noticed by a check, not by a stale result.</summary>
    private static async Task WaitForCheckAsync(AgentService.AgentServiceClient agent, string app, CancellationToken cancellationToken)
    {
        var since = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(
            async token =>
            {
                var health = await agent.GetHealthAsync(new GetHealthRequest { App = app }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: token);
                return health.Checks.Any(c => c.Name == $"app:{app}:live" && c.Status == CheckStatus.Ok && c.At.ToDateTimeOffset() >= since);
            },
            TimeSpan.FromMinutes(2),
            () => $"a passing check of {app}'s live slot (is the agent running its self-checks?)",
            cancellationToken,
            TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Runs `docker kill NAME` and returns the Stopwatch timestamp when it returned: the container is dead then.</summary>
    private static async Task<long> DockerKillAsync(string container, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("docker")
        {
            ArgumentList = { "kill", container },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        };

        // The engine from Debian's docker.io speaks API 1.41; a newer docker client must be told so.
        start.Environment["DOCKER_API_VERSION"] = Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is { Length: > 0 } pinned ? pinned : "1.41";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker could not be started");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var killedAt = Stopwatch.GetTimestamp();
        return process.ExitCode == 0 ? killedAt : throw new InvalidOperationException($"docker kill {container} failed: {(await error).Trim()}");
    }

    /// <summary>Open incidents of the app once the round is over; the agent closes the failover's at the switch.</summary>
    private static async Task<int> OpenIncidentsAsync(AgentService.AgentServiceClient agent, string app, CancellationToken cancellationToken)
    {
        var health = await agent.GetHealthAsync(
            new GetHealthRequest { App = app },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken);
        return health.OpenIncidents.Count;
    }

    private static string Milliseconds(double milliseconds) => double.IsNaN(milliseconds) ? "-" : $"{milliseconds:0} ms";
}
