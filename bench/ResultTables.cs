using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>Prints the three measurements (per round, then min / median / max) and whether the targets are met.</summary>
public static class ResultTables
{
    private const double AgentOverheadTargetMs = 300;
    private const double RollbackTargetMs = 1000;
    private const int ErrorsShown = 5;

    private static readonly (string Name, Step Step)[] DeploySteps =
        [
            ("validate", Step.Validate),
            ("pull", Step.Pull),
            ("start", Step.Start),
            ("check", Step.Check),
            ("switch", Step.Switch),
            ("verify", Step.Verify),
            ("standby", Step.Standby)
        ];

    public static void PrintDeployRounds(IReadOnlyList<DeployRound> rounds)
    {
        Console.WriteLine();
        Console.WriteLine("1. Deploy rounds (ms; steps from the events' duration_ms; total = request sent -> final event; overhead = total - pull - check; " +
            "excl. start also leaves out the engine's container create+start)");
        var table = new TextTable(["round", .. DeploySteps.Select(s => s.Name), "total", "overhead", "excl. start"]);
        var measured = rounds.Where(r => r.Run.Succeeded).ToList();
        foreach (var round in rounds)
        {
            table.Add(
            [
                $"{round.Number} {round.Tag}{(round.Run.Succeeded ? "" : " FAILED")}",
                .. DeploySteps.Select(s => TextTable.Ms(round.Step(s.Step))),
                TextTable.Ms(round.ClientTotalMs),
                TextTable.Ms(round.AgentOverheadMs),
                TextTable.Ms(round.AgentOverheadWithoutContainerStartMs)
            ]);
        }

        table.AddSeparator();
        AddSummaryRows(
            table,
            [
                .. DeploySteps.Select(s => Summary.Of(measured.Select(r => r.Step(s.Step)))),
                Summary.Of(measured.Select(r => r.ClientTotalMs)),
                Summary.Of(measured.Select(r => r.AgentOverheadMs)),
                Summary.Of(measured.Select(r => r.AgentOverheadWithoutContainerStartMs))
            ]);
        Console.Write(table);
    }

    public static void PrintRollbackRounds(IReadOnlyList<RollbackRound> rounds)
    {
        Console.WriteLine();
        Console.WriteLine("2. Rollback rounds (ms; traffic back = request sent -> first answer through nginx from the old slot, " +
            "polled every ~5 ms on fresh connections)");
        var table = new TextTable("round", "slots", "traffic back", "rpc total", "check", "switch", "verify", "polls");
        var measured = rounds.Where(r => r.Run.Succeeded).ToList();
        foreach (var round in rounds)
        {
            table.Add(
                $"{round.Number}{(round.Run.Succeeded ? "" : " FAILED")}",
                $"{round.FromSlot} -> {round.ToSlot}",
                TextTable.Ms(round.TrafficBackMs),
                TextTable.Ms(round.RpcTotalMs),
                TextTable.Ms(round.Run.StepMilliseconds(Step.Check)),
                TextTable.Ms(round.Run.StepMilliseconds(Step.Switch)),
                TextTable.Ms(round.Run.StepMilliseconds(Step.Verify)),
                $"{round.Poll.Requests} ({round.Poll.Failures} failed)");
        }

        table.AddSeparator();
        var summaries = new[]
        {
            Summary.Of(measured.Select(r => r.TrafficBackMs)),
            Summary.Of(measured.Select(r => r.RpcTotalMs)),
            Summary.Of(measured.Select(r => r.Run.StepMilliseconds(Step.Check))),
            Summary.Of(measured.Select(r => r.Run.StepMilliseconds(Step.Switch))),
            Summary.Of(measured.Select(r => r.Run.StepMilliseconds(Step.Verify))),
        };
        foreach (var (name, pick) in SummaryRows)
        {
            table.Add([name, "", .. summaries.Select(s => TextTable.Ms(pick(s)))]);
        }

        Console.Write(table);
    }

    public static void PrintLoadRuns(IReadOnlyList<LoadRun> runs, int concurrency)
    {
        Console.WriteLine();
        Console.WriteLine($"3. Requests through nginx during one change ({concurrency} concurrent clients; the window is warm-up + change + 1 s)");
        var table = new TextTable("change", "connections", "window s", "sent", "failed", "answered by");
        foreach (var run in runs)
        {
            table.Add(
                $"{run.Operation}{(run.Run.Succeeded ? "" : " FAILED")}",
                run.Connections,
                run.Load.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                run.Load.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
                run.Load.Failed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                string.Join(" ", run.Load.ByUpstream
                    .OrderBy(u => u.Key, StringComparer.Ordinal)
                    .Select(u => $"{(u.Key.Length == 0 ? "(none)" : u.Key)}={u.Value}")));
        }

        Console.Write(table);
        foreach (var run in runs.Where(r => r.Load.FirstErrors.Count > 0))
        {
            Console.WriteLine($"  first errors, {run.Operation} with {run.Connections} (time since the load started):");
            foreach (var error in run.Load.FirstErrors.Take(ErrorsShown))
            {
                Console.WriteLine($"    {error}");
            }
        }
    }

    public static void PrintTargets(IReadOnlyList<DeployRound> deploys, IReadOnlyList<RollbackRound> rollbacks, IReadOnlyList<LoadRun> loads)
    {
        Console.WriteLine();
        Console.WriteLine("Targets (judged on the worst round)");
        var overhead = Summary.Of(deploys.Where(r => r.Run.Succeeded).Select(r => r.AgentOverheadMs));
        PrintTarget(
            $"agent overhead under {AgentOverheadTargetMs:0} ms",
            overhead.Count > 0 && overhead.Max < AgentOverheadTargetMs,
            $"median {TextTable.Ms(overhead.Median)} ms, max {TextTable.Ms(overhead.Max)} ms over {overhead.Count} deploys");
        var withoutStart = Summary.Of(deploys.Where(r => r.Run.Succeeded).Select(r => r.AgentOverheadWithoutContainerStartMs));
        PrintTarget(
            $"agent overhead under {AgentOverheadTargetMs:0} ms, counting container start as the app's",
            withoutStart.Count > 0 && withoutStart.Max < AgentOverheadTargetMs,
            $"median {TextTable.Ms(withoutStart.Median)} ms, max {TextTable.Ms(withoutStart.Max)} ms");

        var succeeded = rollbacks.Where(r => r.Run.Succeeded).ToList();
        var trafficBack = Summary.Of(succeeded.Select(r => r.TrafficBackMs));
        var allSeen = succeeded.Count > 0 && succeeded.All(r => !double.IsNaN(r.TrafficBackMs));
        PrintTarget(
            $"rollback under {RollbackTargetMs / 1000:0} s",
            allSeen && trafficBack.Max < RollbackTargetMs,
            $"traffic back: median {TextTable.Ms(trafficBack.Median)} ms, max {TextTable.Ms(trafficBack.Max)} ms over {trafficBack.Count} rollbacks");

        var withoutKeepAlive = loads.Where(r => !r.KeepAlive).ToList();
        var failed = withoutKeepAlive.Sum(r => r.Load.Failed);
        PrintTarget(
            "zero failed requests without keep-alive",
            withoutKeepAlive.Count > 0 && failed == 0,
            $"{failed} failed of {withoutKeepAlive.Sum(r => r.Load.Total)} during {string.Join(" and ", withoutKeepAlive.Select(r => r.Operation))}");
    }

    private static readonly (string Name, Func<Summary, double> Pick)[] SummaryRows = [("min", s => s.Min), ("median", s => s.Median), ("max", s => s.Max)];

    public static void PrintFailoverRounds(IReadOnlyList<FailoverRound> rounds, int concurrency)
    {
        Console.WriteLine();
        Console.WriteLine($"Failover rounds (ms; failover = `docker kill` of the live container returned -> first answer through nginx from the standby, " +
            $"polled every ~5 ms on fresh connections; load: {concurrency} clients, Connection: close)");
        var table = new TextTable("round", "killed -> standby", "failover", "requests", "failed", "open incidents after");
        foreach (var round in rounds)
        {
            table.Add(
                $"{round.Number}",
                $"{round.KilledSlot} -> {round.StandbySlot}",
                TextTable.Ms(round.FailoverMs),
                $"{round.Load.Total}",
                $"{round.Load.Failed}",
                $"{round.StillOpenIncidents}");
        }

        table.AddSeparator();
        var failover = Summary.Of(rounds.Select(r => r.FailoverMs));
        var failed = Summary.Of(rounds.Select(r => (double)r.Load.Failed));
        foreach (var (name, pick) in SummaryRows)
        {
            table.Add(name, "", TextTable.Ms(pick(failover)), "", TextTable.Ms(pick(failed)), "");
        }

        Console.Write(table);
        Console.WriteLine($"failover: median {TextTable.Ms(failover.Median)} ms, max {TextTable.Ms(failover.Max)} ms over {failover.Count} round(s); " +
            $"failed requests per round: median {TextTable.Ms(failed.Median)}, max {TextTable.Ms(failed.Max)}");
        Console.WriteLine("The failover is bounded by the agent's Checks:Interval x Apps:NAME:AutoHeal:FailuresBeforeAction (to notice) plus the switch; " +
            "requests fail only during that window.");
    }

    public static void PrintStorage(StorageRun run, string directory)
    {
        var normal = Summary.Of(run.NormalMs);
        var full = Summary.Of(run.FullMs);
        static string Ms(double value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine(
            $"SQLite writes of one deploy ({run.Commits} commits, WAL; ms per deploy, {normal.Count} rounds, a fresh database under {directory}):");
        var table = new TextTable("synchronous", "min", "median", "p95", "max", "per commit (median)");
        table.Add("NORMAL", Ms(normal.Min), Ms(normal.Median), Ms(normal.P95), Ms(normal.Max), Ms(normal.Median / run.Commits));
        table.Add("FULL", Ms(full.Min), Ms(full.Median), Ms(full.P95), Ms(full.Max), Ms(full.Median / run.Commits));
        // Extremes are single outliers (another process's I/O); only the median and p95 differences mean something.
        table.Add("FULL - NORMAL", "", Ms(full.Median - normal.Median), Ms(full.P95 - normal.P95), "", Ms((full.Median - normal.Median) / run.Commits));
        Console.Write(table);
        Console.WriteLine("FULL fsyncs the WAL at every commit, so an acknowledged deploy record, audit row or idempotency key survives a power loss; " +
            "NORMAL only at checkpoints.");
    }

    private static void AddSummaryRows(TextTable table, Summary[] summaries)
    {
        foreach (var (name, pick) in SummaryRows)
        {
            table.Add([name, .. summaries.Select(s => TextTable.Ms(pick(s)))]);
        }
    }

    private static void PrintTarget(string target, bool met, string evidence) =>
        Console.WriteLine($"  [{(met ? "met" : "NOT met")}] {target}: {evidence}");
}
