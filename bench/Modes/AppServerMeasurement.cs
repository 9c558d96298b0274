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
/// 1,000 requests a second of GETs; once with keep-alive connections (the fast app keeps them; busybox httpd answers
/// and closes, so its client reconnects) and once with a connection per request. The two servers take turns in
/// 2-second slices, five each after a warm-up slice, so a stall of the shared machine falls on either alike.
/// </summary>
public static class AppServerMeasurement
{
    public const double RequestsPerSecond = 1_000;
    public const int Connections = 16;
    private const int Slices = 5;
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(2);

    public static string Describe() =>
        $"{RequestsPerSecond:0} req/s paced GETs, {Slices} slices of {Slice.TotalSeconds:0} s each in turn after a warm-up slice, " +
        $"up to {Connections} connections, straight to the server's port; latency from the request sent (connect included) to its complete answer";

    public static async Task<IReadOnlyList<AppServerRun>> RunAsync(FastAppImages images, string directory, CancellationToken cancellationToken)
    {
        var www = Directory.CreateDirectory(Path.Combine(directory, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "busybox\n", cancellationToken);
        var fastPort = FreePorts.Next();
        var busyboxPort = FreePorts.Next();
        await using var fast = await StartAsync(
            "fast app", images.Binary, ["fast-bench", fastPort.ToString(CultureInfo.InvariantCulture)], fastPort, directory, cancellationToken);
        await using var busybox = await StartAsync(
            "busybox httpd", "/bin/busybox", ["httpd", "-f", "-p", $"127.0.0.1:{busyboxPort}", "-h", www], busyboxPort, directory, cancellationToken);
        var servers = new[] { ("fast app", fastPort), ("busybox httpd", busyboxPort) };

        var runs = new List<AppServerRun>();
        foreach (var keepAlive in new[] { true, false })
        {
            var options = new PacedLoadOptions(Connections, RequestsPerSecond, PostEvery: 0, KeepAlive: keepAlive);
            var slices = servers.ToDictionary(s => s.Item1, _ => new List<PacedLoadReport>());
            for (var slice = -1; slice < Slices; slice++)
            {
                // Which goes first alternates, slice by slice.
                foreach (var (name, port) in slice % 2 == 0 ? servers : servers.Reverse())
                {
                    var report = await RunForAsync(new Uri($"http://127.0.0.1:{port}/"), options, Slice, cancellationToken);
                    if (slice >= 0)
                    {
                        slices[name].Add(report);
                    }
                }
            }

            foreach (var (name, _) in servers)
            {
                var run = new AppServerRun(name, keepAlive, PacedLoadReport.Combine(slices[name]));
                runs.Add(run);
                Console.WriteLine($"  {name} ({run.Connections}): {run.Load.Total} requests, {run.Load.Failed} failed, " +
                    $"p50 {run.Latency.Median:0.00} ms, p99 {run.P99Ms:0.00} ms");
            }
        }

        return runs;
    }

    private static async Task<ChildProcess> StartAsync(
        string name,
        string program,
        IEnumerable<string> arguments,
        int port,
        string directory,
        CancellationToken cancellationToken)
    {
        var server = ChildProcess.Start(program, arguments, Path.Combine(directory, $"{name.Replace(' ', '-')}.log"));
        try
        {
            using var client = new NginxClient(new Uri($"http://127.0.0.1:{port}/"));
            await Eventually.TrueAsync(
                async token => server.HasExited
                    ? throw new InvalidOperationException($"{name} exited: {server.Tail()}")
                    : await client.AnswersAsync(token),
                TimeSpan.FromSeconds(10),
                () => $"{name} to answer on 127.0.0.1:{port}",
                cancellationToken,
                TimeSpan.FromMilliseconds(20));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private static async Task<PacedLoadReport> RunForAsync(Uri target, PacedLoadOptions options, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var load = PacedLoad.Start(target, options, cancellationToken);
        await Task.Delay(duration, cancellationToken);
        return await load.StopAsync();
    }
}
