using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>What continuous load through nginx saw while one deploy or rollback ran.</summary>
public sealed record LoadRun(string Operation, bool KeepAlive, LoadReport Load, RecordedDeployment Run)
{
    public string Connections => KeepAlive ? "keep-alive" : "Connection: close";
}

/// <summary>
/// Runs one deploy and one rollback under continuous load from the integration tests' <see cref="LoadGenerator"/>,
/// first with keep-alive clients, then with a fresh connection per request.
/// </summary>
public static class LoadDuringChangeMeasurement
{
    /// <summary>Successful requests before the change starts, so the load is really flowing.</summary>
    private const int WarmUpSuccesses = 200;

    /// <summary>Load keeps running this long after the final event, to catch anything the change breaks late.</summary>
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(1);

    /// <summary>Upper bounds on one load window; a change takes a few seconds.</summary>
    private static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(90);

    private const int MaxRequests = 5_000_000;

    public static async Task<IReadOnlyList<LoadRun>> RunAsync(AgentService.AgentServiceClient agent, BenchOptions options, CancellationToken cancellationToken)
    {
        var runs = new List<LoadRun>();
        foreach (var keepAlive in new[] { true, false })
        {
            var before = await AppSnapshot.ReadAsync(agent, options.App, cancellationToken);
            var tag = before.OtherTag(options.Images);
            runs.Add(await UnderLoadAsync(
                $"deploy {tag}",
                keepAlive,
                options,
                token => DeployRoundsMeasurement.DeployAsync(agent, options.App, tag, token),
                cancellationToken));
            runs.Add(await UnderLoadAsync(
                "rollback",
                keepAlive,
                options,
                token => RollbackMeasurement.RollbackAsync(agent, options.App, token),
                cancellationToken));
        }

        return runs;
    }

    private static async Task<LoadRun> UnderLoadAsync(
        string operation,
        bool keepAlive,
        BenchOptions options,
        Func<CancellationToken, Task<RecordedDeployment>> change,
        CancellationToken cancellationToken)
    {
        var loadOptions = new LoadOptions(Workers: options.Concurrency, KeepAlive: keepAlive, MaxDuration: MaxWindow, MaxRequests: MaxRequests);
        await using var load = LoadGenerator.Start(options.Url, loadOptions, cancellationToken);
        await load.WaitForSuccessesAsync(WarmUpSuccesses, cancellationToken);
        var run = await change(cancellationToken);
        await Task.Delay(Tail, cancellationToken);
        var report = await load.StopAsync();
        var result = new LoadRun(operation, keepAlive, report, run);
        Console.WriteLine($"  {operation} under load ({result.Connections}): {report.Total} requests, {report.Failed} failed, {run.Outcome}");
        return result;
    }
}
