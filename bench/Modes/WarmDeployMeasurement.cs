using System.Diagnostics;
using Mizan.Agent.V1;

namespace Mizan.Bench.Modes;

/// <summary>
/// One warm deploy by `mizanctl deploy` (an image already pulled): its wall time, its steps, and the app's own time to
/// become healthy, from which the agent's overhead follows.
/// </summary>
/// <param name="AppReadyMs">The container's State.StartedAt → the first answer the bench saw on the slot port (<see cref="SlotPortWatcher"/>).</param>
/// <param name="EngineStartMs">The container's Created → State.StartedAt: the engine's create and start, which the agent waits for.</param>
public sealed record AgentDeployRound(int Number, string Mode, string Tag, double TotalMs, RecordedDeployment Steps, double AppReadyMs, double EngineStartMs)
{
    public double PullMs => Steps.StepMillisecondsOrZero(Step.Pull);

    /// <summary>
    /// The agent's overhead: the whole deploy as mizanctl's caller waits for it (process start to exit), minus the
    /// pull step (the registry's and the engine's work, the same for any tool) and minus the app's own time to become
    /// healthy (from its container's start to the first answer on its port, which no tool can shorten). What is left is
    /// the agent: validation, its Docker calls (stopping the old standby, creating and starting the container), its
    /// pacing of the health probes and the further successes it asks for, the switch, the verify through nginx, the
    /// standby lease and its bookkeeping; and mizanctl's start and connection. An app time below zero (the app
    /// answered before the engine had recorded the start) counts as zero.
    /// </summary>
    public double OverheadMs => TotalMs - PullMs - Math.Max(0, AppReadyMs);

    /// <summary>
    /// <see cref="OverheadMs"/> minus the engine's own create and start of the new container (<see cref="EngineStartMs"/>,
    /// its Created → State.StartedAt), which the agent waits for but does not do: what is left of the agent's time
    /// around Docker's work. The overhead goal is judged on <see cref="OverheadMs"/>, not on this.
    /// </summary>
    public double OverheadWithoutEngineStartMs => OverheadMs - Math.Max(0, EngineStartMs);

    public bool Succeeded => Steps.Succeeded;

    /// <summary>The deploy succeeded and the bench saw the new app's first answer, so its overhead is known.</summary>
    public bool Measured => Succeeded && !double.IsNaN(AppReadyMs);
}

/// <summary>What one round of warm deploys measured: each agent's deploy and the baseline script's wall times.</summary>
/// <param name="BaselineSshMs">switch.sh over SSH, a fresh connection, as CI ran it (ssh's start to its exit): the yardstick.</param>
/// <param name="BaselineLocalMs">switch.sh alone, run locally without SSH (bash's start to its exit).</param>
public sealed record WarmDeployRound(int Number, IReadOnlyList<AgentDeployRound> Agents, double BaselineSshMs, double BaselineLocalMs);

/// <summary>
/// Warm deploys, round by round: each round deploys the tag that is not live with `mizanctl deploy` through each
/// agent and runs the baseline script twice, over SSH as CI ran it and alone, in an order that reverses every round
/// (agents, SSH, alone; then alone, SSH, agents), so none always runs on a machine another just warmed or loaded.
/// No load runs meanwhile.
/// </summary>
public static class WarmDeployMeasurement
{
    public static async Task<IReadOnlyList<WarmDeployRound>> RunAsync(
        IReadOnlyList<ModeAgent> agents,
        BaselineScript baseline,
        FastAppImages images,
        string mizanctl,
        int rounds,
        CancellationToken cancellationToken)
    {
        // The script's first runs start its slots from nothing; after two, each run replaces a container as the agents do.
        // One of each way, so the SSH path is warm too before the rounds.
        await baseline.DeployLocallyAsync(images, cancellationToken);
        await baseline.DeployOverSshAsync(images, cancellationToken);

        var results = new List<WarmDeployRound>();
        for (var number = 1; number <= rounds; number++)
        {
            var agentsFirst = number % 2 == 1;
            var sshMs = double.NaN;
            var localMs = double.NaN;
            if (!agentsFirst)
            {
                localMs = await baseline.DeployLocallyAsync(images, cancellationToken);
                sshMs = await baseline.DeployOverSshAsync(images, cancellationToken);
            }

            var deploys = new List<AgentDeployRound>();
            foreach (var agent in agentsFirst ? agents : agents.Reverse())
            {
                deploys.Add(await DeployOnceAsync(agent, mizanctl, number, cancellationToken));
            }

            if (agentsFirst)
            {
                sshMs = await baseline.DeployOverSshAsync(images, cancellationToken);
                localMs = await baseline.DeployLocallyAsync(images, cancellationToken);
            }

            var round = new WarmDeployRound(number, [.. deploys.OrderBy(d => d.Mode, StringComparer.Ordinal)], sshMs, localMs);
            results.Add(round);
            Console.WriteLine($"  warm deploy round {number}: " + string.Join(", ", round.Agents.Select(d =>
                $"{d.Mode} {d.Tag} {TextTable.Ms(d.TotalMs)} ms (overhead {TextTable.Ms(d.OverheadMs)}){(d.Succeeded ? "" : " FAILED")}")) +
                $", baseline over SSH {TextTable.Ms(sshMs)} ms, script alone {TextTable.Ms(localMs)} ms");
        }

        return results;
    }

    private static async Task<AgentDeployRound> DeployOnceAsync(ModeAgent agent, string mizanctl, int number, CancellationToken cancellationToken)
    {
        await agent.WaitIdleAsync(cancellationToken);
        var before = await agent.SnapshotAsync(cancellationToken);
        var tag = FastAppImages.Other(FastAppImages.TagOf(before.LiveImage) ?? FastAppImages.Tags[1]);
        var targetSlot = before.LiveSlot == "blue" ? "green" : "blue";

        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = SlotPortWatcher.Start(agent.PortOf(targetSlot), stopWatching.Token);
        var sent = Stopwatch.GetTimestamp();
        var result = await ProcessRunner.RunAsync(
            mizanctl,
            ["deploy", "--app", agent.App, "--image", tag, "--agent", $"unix://{agent.SocketPath}", "--retries", "0", "--requested-by", "mizan-bench"],
            cancellationToken,
            TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string> { ["NO_COLOR"] = "1", ["GITHUB_ACTIONS"] = "" });
        var totalMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        await stopWatching.CancelAsync();
        var firstAnswer = await watcher.FirstAnswerAfterRefusal;

        var deployment = await agent.LatestDeploymentAsync(cancellationToken);
        var steps = new RecordedDeployment(deployment.Events, sent, TimeSpan.FromMilliseconds(totalMs), deployment);
        var started = deployment.Events.FirstOrDefault(e => e.Step == Step.Start && e.Status == StepStatus.Succeeded);
        var containerId = started?.Details.GetValueOrDefault("container_id") is { Length: > 0 } id ? id : null;
        var appReadyMs = double.NaN;
        var engineStartMs = double.NaN;
        if (containerId is not null)
        {
            var times = await DockerTimes.InspectAsync(containerId, cancellationToken);
            engineStartMs = (times.StartedAt - times.Created).TotalMilliseconds;
            appReadyMs = firstAnswer is { } answered ? (answered - times.StartedAt).TotalMilliseconds : double.NaN;
        }

        if (double.IsNaN(appReadyMs))
        {
            Console.WriteLine($"  {agent.Mode} deploy of {tag} in round {number}: the new app's first answer was not seen on port " +
                $"{agent.PortOf(targetSlot)} (slot {targetSlot}; the deploy started container {containerId?[..12] ?? "unknown"} in slot " +
                $"{started?.Details.GetValueOrDefault("slot") ?? "unknown"}; the watch saw {watcher.Describe()}); left out of the overhead");
        }

        if (result.ExitCode != 0 || !steps.Succeeded)
        {
            Console.WriteLine($"  {agent.Mode} deploy of {tag} in round {number} did not succeed (exit {result.ExitCode}): {result.Output.Trim()}");
        }

        return new AgentDeployRound(number, agent.Mode, tag, totalMs, steps, appReadyMs, engineStartMs);
    }
}
