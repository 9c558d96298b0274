namespace Mizan.Bench.Modes;

/// <summary>
/// `mizan-bench --modes`: builds the native programs, sets up <see cref="ModesEnvironment"/>, runs the six
/// measurements against both agents (one mode after the other within each, so neither's load meets the other's
/// changes), prints the tables and takes everything down, also when a measurement fails or the run is cancelled.
/// </summary>
public static class ModesCommand
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var baselineScript = options.BaselineScript ?? BaselineScript.DefaultPath;
        BenchSshd.EnsureInstalled();
        Console.WriteLine($"mizan-bench --modes: run {ModesRun.Id}, {Environment.ProcessorCount} cores, load average {LoadAverage()} at the start, " +
            $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("publishing mizanctl (and the agent) with Native AOT (incremental; the first time takes minutes)...");
        var mizanctl = await NativeBuilds.PublishAsync("control", "mizanctl", cancellationToken);
        var agentBinary = await NativeBuilds.AgentAsync(options.JitAgent, cancellationToken);
        Console.WriteLine($"  mizanctl: {mizanctl}");
        Console.WriteLine($"  mizan-agent: {agentBinary.Description}");

        Console.WriteLine("setting up:");
        await using var environment = await ModesEnvironment.StartAsync(agentBinary, baselineScript, options.KeepLogs, cancellationToken);
        var reload = environment.Agent("Reload");
        var redirect = environment.Agent("Redirect");
        Console.WriteLine($"  baseline: {baselineScript} (run from a copy that names its containers {BaselineScript.ContainerPrefix}SLOT), " +
            "over SSH as CI ran it and alone; over SSH:");
        Console.WriteLine($"    {environment.Baseline.DescribeOverSsh(environment.Images)}");

        Console.WriteLine($"1. switch-and-rollback cycles under load ({options.Cycles} per mode):");
        var cycles = new List<SwitchCyclesResult>();
        foreach (var agent in new[] { reload, redirect })
        {
            cycles.Add(await SwitchCyclesMeasurement.RunAsync(agent, options.Cycles, cancellationToken));
        }

        Console.WriteLine($"2. docker kill of the live container under load ({options.KillRounds} rounds per mode):");
        var kills = new List<(string, IReadOnlyList<KillRound>)>();
        foreach (var agent in new[] { reload, redirect })
        {
            kills.Add((agent.Mode, await KillMeasurement.RunAsync(agent, options.KillRounds, cancellationToken)));
        }

        Console.WriteLine($"3. native mizanctl rollback ({options.Rounds} rounds per mode):");
        var rollbacks = new List<(string, IReadOnlyList<NativeRollbackRound>)>();
        foreach (var agent in new[] { reload, redirect })
        {
            rollbacks.Add((agent.Mode, await NativeRollbackMeasurement.RunAsync(agent, environment.Nginx, mizanctl, options.Rounds, cancellationToken)));
        }

        Console.WriteLine($"4. warm deploys against the baseline ({options.Rounds} rounds):");
        var deploys = await WarmDeployMeasurement.RunAsync(
            [reload, redirect], environment.Baseline, environment.Images, mizanctl, options.Rounds, cancellationToken);

        Console.WriteLine("6. the fast test app against busybox httpd:");
        var servers = await AppServerMeasurement.RunAsync(environment.Images, environment.Directory, cancellationToken);

        Console.WriteLine();
        Console.WriteLine($"Results (run {ModesRun.Id}; {Environment.ProcessorCount} cores; load average {LoadAverage()} at the end; " +
            $"agent: {agentBinary.Description})");
        ModesTables.PrintSwitchCycles(cycles);
        ModesTables.PrintKills(kills);
        ModesTables.PrintNativeRollbacks(rollbacks);
        ModesTables.PrintWarmDeploys(deploys);
        ModesTables.PrintOverhead(deploys);
        ModesTables.PrintAppServers(servers);
        ModesTables.PrintGoals(cycles, kills, rollbacks, deploys);
        Console.WriteLine();
        Console.WriteLine("cleaning up (sshd, agents, their containers and table, nginx, registry, images, baseline containers, temp directory)...");
        return 0;
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine disturbs the timings.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
