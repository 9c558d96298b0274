using Mizan.Agent.V1;
using Mizan.Bench;
using Mizan.Bench.Modes;

// mizan-bench: deploys and rolls back a real app through a running mizan-agent and prints how long it took and
// what clients saw; with --storage, what durable SQLite commits cost a deploy; with --modes, both traffic modes side
// by side on an environment it sets up itself. It measures; it never asserts timings (the goals are printed, met or not).
const int ExitOk = 0, ExitChangeFailed = 1, ExitUsage = 2, ExitAgentUnreachable = 3, ExitCancelled = 130;

BenchOptions options;
try
{
    if (args.Any(a => a is "-h" or "--help"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return ExitOk;
    }

    options = BenchOptions.Parse(args);
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync($"mizan-bench: {exception.Message}");
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return ExitUsage;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (options.Storage)
{
    try
    {
        Console.WriteLine(
            $"mizan-bench: replaying one deploy's SQLite writes {options.Rounds} times with synchronous=NORMAL and FULL under {options.StorageDirectory}");
        ResultTables.PrintStorage(await StorageMeasurement.RunAsync(options.Rounds, options.StorageDirectory, cancel.Token), options.StorageDirectory);
        return ExitOk;
    }
    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"mizan-bench: cannot use {options.StorageDirectory}: {exception.Message}");
        return ExitUsage;
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("mizan-bench: cancelled");
        return ExitCancelled;
    }
}

if (options.Modes)
{
    try
    {
        return await ModesCommand.RunAsync(options, cancel.Token);
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("mizan-bench: cancelled");
        return ExitCancelled;
    }
    catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or FileNotFoundException or Grpc.Core.RpcException)
    {
        await Console.Error.WriteLineAsync($"mizan-bench: {exception.Message}");
        return ExitChangeFailed;
    }
}

using var channel = UnixSocketChannel.Create(options.SocketPath);
var agent = new AgentService.AgentServiceClient(channel);
var (reachable, why) = File.Exists(options.SocketPath)
    ? await AgentProbe.IsReachableAsync(agent, cancel.Token)
    : (false, "the socket file does not exist");
if (!reachable)
{
    await Console.Error.WriteLineAsync($"mizan-bench: no agent answers on unix://{options.SocketPath} ({why}).");
    await Console.Error.WriteLineAsync(
        "packaging/quickstart.sh sets the environment up (Docker, registry, nginx, mizan-agent and the sample app): sudo packaging/quickstart.sh");
    return ExitAgentUnreachable;
}

Console.WriteLine($"mizan-bench: app '{options.App}' via unix://{options.SocketPath}, traffic through {options.Url}, " +
    $"tags {string.Join(",", options.Images)}, {options.Rounds} rounds, {options.Concurrency} concurrent clients");
if (options.Failover)
{
    try
    {
        Console.WriteLine("failover rounds (auto-heal after `docker kill` of the live container):");
        var failovers = await FailoverMeasurement.RunAsync(agent, options, cancel.Token);
        ResultTables.PrintFailoverRounds(failovers, options.Concurrency);
        return failovers.All(f => !double.IsNaN(f.FailoverMs)) ? ExitOk : ExitChangeFailed;
    }
    catch (InvalidOperationException exception)
    {
        await Console.Error.WriteLineAsync($"mizan-bench: {exception.Message}");
        return ExitChangeFailed;
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("mizan-bench: cancelled");
        return ExitCancelled;
    }
}

try
{
    var start = await AppSnapshot.ReadAsync(agent, options.App, cancel.Token);
    Console.WriteLine($"  live: slot {start.LiveSlot} {start.LiveImage}; standby: slot {start.StandbySlot} {start.StandbyImage}");

    Console.WriteLine("deploy rounds:");
    var deploys = await DeployRoundsMeasurement.RunAsync(agent, options, cancel.Token);
    Console.WriteLine("rollback rounds:");
    var rollbacks = await RollbackMeasurement.RunAsync(agent, options, cancel.Token);
    Console.WriteLine("changes under load:");
    var loads = await LoadDuringChangeMeasurement.RunAsync(agent, options, cancel.Token);

    ResultTables.PrintDeployRounds(deploys);
    ResultTables.PrintRollbackRounds(rollbacks);
    ResultTables.PrintLoadRuns(loads, options.Concurrency);
    ResultTables.PrintTargets(deploys, rollbacks, loads);

    var allSucceeded = deploys.All(d => d.Run.Succeeded) && rollbacks.All(r => r.Run.Succeeded) && loads.All(l => l.Run.Succeeded);
    if (!allSucceeded)
    {
        Console.WriteLine();
        Console.WriteLine("Some deploys or rollbacks did not succeed (marked FAILED above); their figures are left out of min / median / max.");
    }

    return allSucceeded ? ExitOk : ExitChangeFailed;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("mizan-bench: cancelled");
    return ExitCancelled;
}
