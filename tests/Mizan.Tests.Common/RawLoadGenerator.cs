using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Mizan.Tests.Common;

/// <summary>
/// Continuous GETs and POSTs through nginx over <see cref="RawHttpConnection"/>s, a client that never retries: each
/// connection sends one request at a time and keeps the connection open (keep-alive) until the server says it closes
/// it. A request succeeds when it gets 200; any other status, a reset, an early close or a time-out is one failure,
/// and the next request opens a new connection. Counted per method and per answer body (the version that answered).
/// </summary>
public sealed class RawLoadGenerator : IAsyncDisposable
{
    private const int ErrorsKept = 10;

    private readonly Uri target;
    private readonly RawLoadOptions options;
    private readonly byte[] postBody;
    private readonly CancellationTokenSource stop;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> byBody = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> byUpstream = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> byMethod = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> failedByMethod = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> firstAnswers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> errors = new();
    private readonly Task[] workers;
    private int issued;
    private int succeeded;
    private int failed;
    private int connections;

    private RawLoadGenerator(Uri target, RawLoadOptions options, CancellationToken cancellationToken)
    {
        this.target = target;
        this.options = options;
        postBody = [.. Enumerable.Range(0, options.PostBytes).Select(i => (byte)('a' + (i % 26)))];
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        workers = [.. Enumerable.Range(0, options.Connections).Select(_ => Task.Run(WorkAsync))];
    }

    public int Succeeded => Volatile.Read(ref succeeded);

    public int Failed => Volatile.Read(ref failed);

    /// <summary>The load's own clock (<see cref="LoadReport.Elapsed"/>): the moment to compare <see cref="FirstAnswerAt"/> with.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>When, on the load's clock, the first 200 with <paramref name="body"/> arrived; null before one did.</summary>
    public TimeSpan? FirstAnswerAt(string body) => firstAnswers.TryGetValue(body, out var at) ? at : null;

    public static RawLoadGenerator Start(Uri target, RawLoadOptions options, CancellationToken cancellationToken) => new(target, options, cancellationToken);

    /// <summary>Waits until at least <paramref name="successes"/> requests succeeded in all.</summary>
    public Task WaitForSuccessesAsync(int successes, CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        Eventually.TrueAsync(
            () => Succeeded >= successes,
            deadline ?? TimeSpan.FromSeconds(30),
            () => $"{successes} successful requests under load ({Report()})",
            cancellationToken);

    /// <summary>Waits until <paramref name="more"/> requests more than now succeeded: the load flows on.</summary>
    public Task WaitForMoreSuccessesAsync(int more, CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        WaitForSuccessesAsync(Succeeded + more, cancellationToken, deadline);

    public async Task<LoadReport> StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return Report();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    /// <summary>What the load has seen so far, while it runs.</summary>
    public LoadReport Report() => new(
        Volatile.Read(ref succeeded),
        Volatile.Read(ref failed),
        [.. errors],
        new Dictionary<string, int>(byBody),
        new Dictionary<string, int>(byUpstream),
        clock.Elapsed)
    {
        ByMethod = new Dictionary<string, int>(byMethod),
        FailedByMethod = new Dictionary<string, int>(failedByMethod),
        Connections = Volatile.Read(ref connections),
    };

    private async Task WorkAsync()
    {
        RawHttpConnection? connection = null;
        var sent = 0;
        try
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= options.MaxRequests)
            {
                sent++;
                var post = options.PostEvery > 0 && sent % options.PostEvery == 0;
                var method = post ? "POST" : "GET";
                // Not tied to stop: a request in flight when the load stops is finished, not counted as a failure.
                using var timeout = new CancellationTokenSource(options.RequestTimeout);
                try
                {
                    if (connection is null)
                    {
                        connection = await RawHttpConnection.ConnectAsync(target, timeout.Token);
                        Interlocked.Increment(ref connections);
                    }

                    var response = await connection.SendAsync(method, options.Path, post ? postBody : null, close: !options.KeepAlive, timeout.Token);
                    if (response.Status == 200)
                    {
                        Interlocked.Increment(ref succeeded);
                        byMethod.AddOrUpdate(method, 1, (_, n) => n + 1);
                        byBody.AddOrUpdate(response.Body, 1, (_, n) => n + 1);
                        firstAnswers.TryAdd(response.Body, clock.Elapsed);
                        byUpstream.AddOrUpdate(response.Upstream, 1, (_, n) => n + 1);
                    }
                    else
                    {
                        Fail(method, $"{response.Status} from '{response.Upstream}': {Shorten(response.Body)}");
                    }
                }
                catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or FormatException)
                {
                    var what = exception is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0} s" : exception.Message;
                    Fail(method, $"{exception.GetType().Name}: {what}{(exception.InnerException is { } inner ? " <- " + inner.Message : "")}");
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }

                if (connection is { Reusable: false })
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private void Fail(string method, string error)
    {
        Interlocked.Increment(ref failed);
        failedByMethod.AddOrUpdate(method, 1, (_, n) => n + 1);
        if (errors.Count < ErrorsKept)
        {
            errors.Enqueue($"{clock.Elapsed.TotalSeconds:0.000}s {method} {error}");
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
