using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Mizan.Tests.Common;

/// <summary>
/// Continuous GETs through nginx from N concurrent workers until stopped, the time bound or the request bound.
/// A request succeeds when it gets 200; anything else (status, reset, time-out) is a failure.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private const int ErrorsKept = 10;

    private readonly LoadOptions options;
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> byBody = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> byUpstream = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> errors = new();
    private readonly Task[] workers;
    private int issued;
    private int succeeded;
    private int failed;

    private LoadGenerator(Uri target, LoadOptions options, CancellationToken cancellationToken)
    {
        this.options = options;
        http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = options.Workers,
            PooledConnectionLifetime = options.KeepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
        })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(10),
        };
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        this.workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public int Succeeded => Volatile.Read(ref this.succeeded);

    public static LoadGenerator Start(Uri target, LoadOptions options, CancellationToken cancellationToken) => new(target, options, cancellationToken);

    /// <summary>Waits until at least <paramref name="successes"/> requests succeeded (the load is really flowing).</summary>
    public Task WaitForSuccessesAsync(int successes, CancellationToken cancellationToken) =>
        Eventually.TrueAsync(
            () => Succeeded >= successes,
            TimeSpan.FromSeconds(15),
            () => $"{successes} successful requests under load ({Report()})",
            cancellationToken);

    public async Task<LoadReport> StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(this.workers);
        return Report();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
        http.Dispose();
    }

    /// <summary>What the load has seen so far, while it runs.</summary>
    public LoadReport Report() => new(
        Volatile.Read(ref this.succeeded),
        Volatile.Read(ref failed),
        errors.ToArray(),
        new Dictionary<string, int>(byBody),
        new Dictionary<string, int>(byUpstream),
        clock.Elapsed);

    private async Task WorkAsync()
    {
        while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= this.options.MaxRequests)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, this.options.Path);
                request.Headers.ConnectionClose = !this.options.KeepAlive;
                // Not tied to stop: a request in flight when the load stops is finished, not counted as a failure.
                using var response = await http.SendAsync(request, CancellationToken.None);
                var body = (await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim();
                var upstream = response.Headers.TryGetValues(NginxClient.UpstreamHeader, out var values) ? string.Join(",", values) : "";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref this.succeeded);
                    byBody.AddOrUpdate(body, 1, (_, n) => n + 1);
                    byUpstream.AddOrUpdate(upstream, 1, (_, n) => n + 1);
                }
                else
                {
                    Fail($"{(int)response.StatusCode} from '{upstream}': {Shorten(body)}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                Fail($"{exception.GetType().Name}: {exception.Message}{(exception.InnerException is { } inner ? " <- " + inner.Message : "")}");
            }
        }
    }

    private void Fail(string error)
    {
        Interlocked.Increment(ref failed);
        if (errors.Count < ErrorsKept)
        {
            errors.Enqueue($"{clock.Elapsed.TotalSeconds:0.000}s {error}");
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
