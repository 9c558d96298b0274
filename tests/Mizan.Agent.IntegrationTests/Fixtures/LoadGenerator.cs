using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// Continuous GETs through nginx from N concurrent workers until stopped, the time bound or the request bound.
/// A request succeeds when it gets 200; anything else (status, reset, time-out) is a failure.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private const int ErrorsKept = 10;

    private readonly LoadOptions _options;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> _byBody = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _byUpstream = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Task[] _workers;
    private int _issued;
    private int _succeeded;
    private int _failed;

    private LoadGenerator(Uri target, LoadOptions options, CancellationToken cancellationToken)
    {
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = options.Workers,
            PooledConnectionLifetime = options.KeepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
        })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(10),
        };
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop.CancelAfter(options.Duration);
        _workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public static LoadGenerator Start(Uri target, LoadOptions options, CancellationToken cancellationToken) => new(target, options, cancellationToken);

    /// <summary>Waits until at least <paramref name="successes"/> requests succeeded (the load is really flowing).</summary>
    public Task WaitForSuccessesAsync(int successes, CancellationToken cancellationToken) =>
        Eventually.TrueAsync(() => Succeeded >= successes, TimeSpan.FromSeconds(15), () => $"{successes} successful requests under load ({Report()})", cancellationToken);

    public async Task<LoadReport> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        return Report();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    /// <summary>What the load has seen so far, while it runs.</summary>
    public LoadReport Report() => new(
        Volatile.Read(ref _succeeded),
        Volatile.Read(ref _failed),
        _errors.ToArray(),
        new Dictionary<string, int>(_byBody),
        new Dictionary<string, int>(_byUpstream),
        _clock.Elapsed);

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _issued) <= _options.MaxRequests)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, _options.Path);
                request.Headers.ConnectionClose = !_options.KeepAlive;
                // Not tied to _stop: a request in flight when the load stops is finished, not counted as a failure.
                using var response = await _http.SendAsync(request, CancellationToken.None);
                var body = (await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim();
                var upstream = response.Headers.TryGetValues(NginxClient.UpstreamHeader, out var values) ? string.Join(",", values) : "";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _succeeded);
                    _byBody.AddOrUpdate(body, 1, (_, n) => n + 1);
                    _byUpstream.AddOrUpdate(upstream, 1, (_, n) => n + 1);
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
        Interlocked.Increment(ref _failed);
        if (_errors.Count < ErrorsKept)
        {
            _errors.Enqueue($"{_clock.Elapsed.TotalSeconds:0.000}s {error}");
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
