using System.Globalization;

namespace Mizan.Bench.Modes;

/// <summary>One server under steady paced load straight on its port: latency (request sent → answer complete) and errors.</summary>
public sealed record AppServerRun(string Server, bool KeepAlive, PacedLoadReport Load)
{
    public string Connections => KeepAlive ? "keep-alive" : "Connection: close";

    public Summary Latency => Summary.Of(Load.LatenciesMs);

    public double P99Ms => P99(Load.LatenciesMs);

    /// <summary>The same from when each request was due: what a client at a steady rate waits, the client's own lateness included.</summary>
    public double P99FromDueMs => P99(Load.LatenciesFromDueMs);

    /// <summary>The 99th percentile (nearest rank), which <see cref="Summary"/> does not keep.</summary>
    private static double P99(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1];
    }
}

/// <summary>
/// The fast test app against busybox httpd, each a process on the host listening on 127.0.0.1, at a steady
/// 1,000 requests a second of GETs for 10 s after a second of warm-up; once with keep-alive connections (the fast app
/// keeps them; busybox httpd answers and closes, so its client reconnects) and once with a connection per request.
/// </summary>
public static class AppServerMeasurement
{
    public const double RequestsPerSecond = 1_000;
    public const int Connections = 16;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);

    public static string Describe() =>
        $"{RequestsPerSecond:0} req/s paced GETs for {Measured.TotalSeconds:0} s (after {WarmUp.TotalSeconds:0} s of warm-up), " +
        $"up to {Connections} connections, straight to the server's port; latency from the request sent (connect included) to its complete answer";

    public static async Task<IReadOnlyList<AppServerRun>> RunAsync(FastAppImages images, string directory, CancellationToken cancellationToken)
    {
        var www = Directory.CreateDirectory(Path.Combine(directory, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "busybox\n", cancellationToken);
        var servers = new (string Name, string Program, Func<int, string[]> Arguments)[]
        {
            ("fast app", images.Binary, port => ["fast-bench", port.ToString(CultureInfo.InvariantCulture)]),
            ("busybox httpd", "/bin/busybox", port => ["httpd", "-f", "-p", $"127.0.0.1:{port}", "-h", www]),
        };

        var runs = new List<AppServerRun>();
        foreach (var keepAlive in new[] { true, false })
        {
            foreach (var (name, program, arguments) in servers)
            {
                var port = FreePorts.Next();
                var target = new Uri($"http://127.0.0.1:{port}/");
                await using var server = ChildProcess.Start(program, arguments(port), Path.Combine(directory, $"{name.Replace(' ', '-')}.log"));
                using (var client = new NginxClient(target))
                {
                    await Eventually.TrueAsync(
                        async token => server.HasExited
                            ? throw new InvalidOperationException($"{name} exited: {server.Tail()}")
                            : await client.AnswersAsync(token),
                        TimeSpan.FromSeconds(10),
                        () => $"{name} to answer on {target}",
                        cancellationToken,
                        TimeSpan.FromMilliseconds(20));
                }

                var options = new PacedLoadOptions(Connections, RequestsPerSecond, PostEvery: 0, KeepAlive: keepAlive);
                await (await RunForAsync(target, options, WarmUp, cancellationToken)).DisposeAsync();
                await using var load = await RunForAsync(target, options, Measured, cancellationToken);
                var run = new AppServerRun(name, keepAlive, await load.StopAsync());
                runs.Add(run);
                Console.WriteLine($"  {name} ({run.Connections}): {run.Load.Total} requests, {run.Load.Failed} failed, " +
                    $"p50 {run.Latency.Median:0.00} ms, p99 {run.P99Ms:0.00} ms");
            }
        }

        return runs;
    }

    private static async Task<PacedLoad> RunForAsync(Uri target, PacedLoadOptions options, TimeSpan duration, CancellationToken cancellationToken)
    {
        var load = PacedLoad.Start(target, options, cancellationToken);
        await Task.Delay(duration, cancellationToken);
        return load;
    }
}
