using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mizan.Bench.Modes;

/// <summary>How <see cref="PacedLoad"/> pushes: how many connections, how many requests a second in all, the share of POSTs.</summary>
/// <param name="PostEvery">Every Nth request of a connection is a POST with a <paramref name="PostBytes"/> body; 0 for GETs only.</param>
/// <param name="KeepAlive">False sends "Connection: close", so every request opens its own connection.</param>
public sealed record PacedLoadOptions(int Connections, double RequestsPerSecond, int PostEvery = 2, int PostBytes = 512, bool KeepAlive = true)
{
    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>One request as the client saw it (Stopwatch timestamps): when it was due, sent and done, and what answered.</summary>
/// <param name="Answer">The body of a 200 (the release that answered), else null.</param>
public readonly record struct RequestRecord(bool Post, long Due, long Sent, long Done, string? Answer)
{
    public bool Succeeded => Answer is not null;
}

/// <summary>
/// Paced load over <see cref="RawHttpConnection"/>s, a client that never retries (as the integration tests'
/// RawLoadGenerator): a pacer releases requests at a steady rate, whichever connection is free sends the next one, and
/// a connection stays open (keep-alive) until the server closes it or a request on it fails. Any status but 200, a
/// reset, an early close or a time-out is one failure, and the next request opens a new connection. Pacing matters
/// for what is measured: keep-alive connections sit idle between requests, as real clients' do, which is when a
/// reload's close of idle connections races a request. Every request is recorded, for the figures computed afterwards.
/// </summary>
public sealed class PacedLoad : IAsyncDisposable
{
    private const int ErrorsKept = 10;

    private readonly Uri target;
    private readonly PacedLoadOptions options;
    private readonly byte[] postBody;
    private readonly CancellationTokenSource stop;
    private readonly Channel<long> tickets = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly List<RequestRecord>[] recorded;
    private readonly List<string> errors = [];
    private readonly Task pacer;
    private readonly Task[] workers;
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset startedWall = DateTimeOffset.UtcNow;
    private int succeeded;
    private int failed;
    private int connections;

    private PacedLoad(Uri target, PacedLoadOptions options, CancellationToken cancellationToken)
    {
        this.target = target;
        this.options = options;
        postBody = [.. Enumerable.Range(0, options.PostBytes).Select(i => (byte)('a' + (i % 26)))];
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        recorded = [.. Enumerable.Range(0, options.Connections).Select(_ => new List<RequestRecord>())];
        pacer = Task.Run(PaceAsync, CancellationToken.None);
        workers = [.. recorded.Select(list => Task.Run(() => WorkAsync(list), CancellationToken.None))];
    }

    public int Succeeded => Volatile.Read(ref succeeded);

    public int Failed => Volatile.Read(ref failed);

    public static PacedLoad Start(Uri target, PacedLoadOptions options, CancellationToken cancellationToken) => new(target, options, cancellationToken);

    /// <summary>Waits until <paramref name="more"/> requests more than now succeeded: the load flows.</summary>
    public Task WaitForMoreSuccessesAsync(int more, CancellationToken cancellationToken, TimeSpan? deadline = null)
    {
        var wanted = Succeeded + more;
        return Eventually.TrueAsync(
            _ => Task.FromResult(Succeeded >= wanted),
            deadline ?? TimeSpan.FromSeconds(60),
            () => $"{more} more successful requests to {target} ({Succeeded} ok, {Failed} failed so far; first errors: {string.Join(" | ", FirstErrors())})",
            cancellationToken,
            TimeSpan.FromMilliseconds(5));
    }

    /// <summary>Stops releasing requests, lets those in flight finish and returns what every request got.</summary>
    public async Task<PacedLoadReport> StopAsync()
    {
        await stop.CancelAsync();
        await pacer;
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = recorded.SelectMany(list => list).OrderBy(r => r.Due).ToList();
        return new PacedLoadReport(all, started, startedWall, elapsed, FirstErrors(), Volatile.Read(ref connections));
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private IReadOnlyList<string> FirstErrors()
    {
        lock (errors)
        {
            return [.. errors];
        }
    }

    /// <summary>Releases the requests whose time has come, about every millisecond; each ticket carries when it was due.</summary>
    private async Task PaceAsync()
    {
        long issued = 0;
        var perTicket = Stopwatch.Frequency / options.RequestsPerSecond;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * options.RequestsPerSecond);
                for (; issued < due; issued++)
                {
                    tickets.Writer.TryWrite(started + (long)(issued * perTicket));
                }

                await Task.Delay(1, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        tickets.Writer.TryComplete();
    }

    private async Task WorkAsync(List<RequestRecord> records)
    {
        RawHttpConnection? connection = null;
        var sent = 0;
        try
        {
            while (true)
            {
                long due;
                try
                {
                    due = await tickets.Reader.ReadAsync(stop.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
                {
                    return;
                }

                sent++;
                var post = options.PostEvery > 0 && sent % options.PostEvery == 0;
                var method = post ? "POST" : "GET";
                var sentAt = Stopwatch.GetTimestamp();
                string? answer = null;
                // Not tied to stop: a request in flight when the load stops is finished, not counted as a failure.
                using var timeout = new CancellationTokenSource(options.RequestTimeout);
                try
                {
                    if (connection is null)
                    {
                        connection = await RawHttpConnection.ConnectAsync(target, timeout.Token);
                        Interlocked.Increment(ref connections);
                    }

                    var response = await connection.SendAsync(method, "/", post ? postBody : null, close: !options.KeepAlive, timeout.Token);
                    if (response.Status == 200)
                    {
                        answer = string.IsInterned(response.Body) ?? string.Intern(response.Body);
                    }
                    else
                    {
                        Fail($"{method} {response.Status} from '{response.Upstream}': {Shorten(response.Body)}");
                    }
                }
                catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or FormatException)
                {
                    var what = exception is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0} s" : exception.Message;
                    Fail($"{method} {exception.GetType().Name}: {what}{(exception.InnerException is { } inner ? " <- " + inner.Message : "")}");
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }

                records.Add(new RequestRecord(post, due, sentAt, Stopwatch.GetTimestamp(), answer));
                if (answer is not null)
                {
                    Interlocked.Increment(ref succeeded);
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

    private void Fail(string error)
    {
        Interlocked.Increment(ref failed);
        lock (errors)
        {
            if (errors.Count < ErrorsKept)
            {
                errors.Add($"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.000}s {error}");
            }
        }
    }

    private static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 120 ? line : line[..120] + "...";
    }
}

/// <summary>Every request of one <see cref="PacedLoad"/> run, and the clock to read their timestamps with.</summary>
public sealed record PacedLoadReport(
    IReadOnlyList<RequestRecord> Requests,
    long StartedTimestamp,
    DateTimeOffset StartedWall,
    TimeSpan Elapsed,
    IReadOnlyList<string> FirstErrors,
    int Connections)
{
    public int Total => Requests.Count;

    /// <summary>Several runs as one, for their counts and latencies (their timestamps stay each run's own).</summary>
    public static PacedLoadReport Combine(IReadOnlyList<PacedLoadReport> reports) => new(
        [.. reports.SelectMany(r => r.Requests)],
        reports[0].StartedTimestamp,
        reports[0].StartedWall,
        TimeSpan.FromTicks(reports.Sum(r => r.Elapsed.Ticks)),
        [.. reports.SelectMany(r => r.FirstErrors).Take(10)],
        reports.Sum(r => r.Connections));

    public int FailedGets => Requests.Count(r => !r.Post && !r.Succeeded);

    public int FailedPosts => Requests.Count(r => r.Post && !r.Succeeded);

    public int Failed => FailedGets + FailedPosts;

    public double RequestsPerSecond => Total / Elapsed.TotalSeconds;

    /// <summary>The wall-clock time of a Stopwatch timestamp of this run, to compare with Docker's timestamps.</summary>
    public DateTimeOffset WallOf(long timestamp) => StartedWall + Stopwatch.GetElapsedTime(StartedTimestamp, timestamp);

    /// <summary>Milliseconds from when each request was sent (its connect included, when it opened one) to its complete answer.</summary>
    public IEnumerable<double> LatenciesMs => Requests.Select(r => Stopwatch.GetElapsedTime(r.Sent, r.Done).TotalMilliseconds);

    /// <summary>
    /// Milliseconds from when each request was due to its complete answer: also the wait for a free connection and the
    /// pacer's own lateness (it wakes about every millisecond, later on a busy machine).
    /// </summary>
    public IEnumerable<double> LatenciesFromDueMs => Requests.Select(r => Stopwatch.GetElapsedTime(r.Due, r.Done).TotalMilliseconds);
}
