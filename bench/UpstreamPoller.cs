using System.Diagnostics;
using System.Net;

namespace Mizan.Bench;

/// <summary>What the poller saw: when the wanted upstream first answered (a Stopwatch timestamp), and how many requests it took.</summary>
public sealed record PollOutcome(long? FirstMatchTimestamp, int Requests, int Failures, string? FirstError);

/// <summary>
/// Starts a GET through nginx every ~5 ms (or as often as asked), each on a fresh connection (Connection: close),
/// without waiting for the previous one (a few at most in flight), until a wanted answer comes (from the wanted
/// upstream address, or with the wanted body), the deadline passes or it is cancelled. The time of a match is taken
/// when its answer arrives.
/// </summary>
public sealed class UpstreamPoller
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(5);
    private const int MaxInFlight = 8;

    private readonly TaskCompletionSource firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly NginxClient nginx;
    private readonly Func<ServedResponse, bool> wanted;
    private readonly TimeSpan interval;
    private long firstMatch = long.MaxValue;
    private int requests;
    private int failures;
    private string? firstError;

    private UpstreamPoller(NginxClient nginx, Func<ServedResponse, bool> wanted, TimeSpan interval)
    {
        this.nginx = nginx;
        this.wanted = wanted;
        this.interval = interval;
    }

    /// <summary>Completes once the first request got any answer: the poller is warm and really polling.</summary>
    public Task FirstAnswer => firstAnswer.Task;

    public Task<PollOutcome> Outcome { get; private set; } = Task.FromResult(new PollOutcome(null, 0, 0, null));

    private bool Matched => Interlocked.Read(ref this.firstMatch) != long.MaxValue;

    public static UpstreamPoller Start(NginxClient nginx, int wantedPort, TimeSpan deadline, CancellationToken cancellationToken) =>
        Start(nginx, answer => IsUpstream(answer.Upstream, wantedPort), deadline, cancellationToken);

    /// <summary>Polls until an answer (a 200) satisfies <paramref name="wanted"/>, e.g. carries the old release's body.</summary>
    public static UpstreamPoller Start(
        NginxClient nginx,
        Func<ServedResponse, bool> wanted,
        TimeSpan deadline,
        CancellationToken cancellationToken,
        TimeSpan? interval = null)
    {
        var poller = new UpstreamPoller(nginx, wanted, interval ?? DefaultInterval);
        poller.Outcome = Task.Run(() => poller.PollAsync(deadline, cancellationToken), CancellationToken.None);
        return poller;
    }

    /// <summary>$upstream_addr is "ip:port" (several, comma-separated, when nginx tried more than one); only a single wanted address counts.</summary>
    public static bool IsUpstream(string header, int port) =>
        !header.Contains(',', StringComparison.Ordinal)
            && header.Trim().EndsWith(":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task<PollOutcome> PollAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(deadline);
        using var timer = new PeriodicTimer(interval);
        var inFlight = new List<Task>();
        try
        {
            do
            {
                inFlight.RemoveAll(probe => probe.IsCompleted);
                if (inFlight.Count < MaxInFlight)
                {
                    inFlight.Add(ProbeAsync(stop.Token));
                }
            }
            while (!Matched && await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Deadline or cancelled: the wanted upstream never answered.
        }

        await Task.WhenAll(inFlight);
        firstAnswer.TrySetResult();
        var firstMatch = Interlocked.Read(ref this.firstMatch);
        return new PollOutcome(firstMatch == long.MaxValue ? null : firstMatch, this.requests, failures, firstError);
    }

    /// <summary>One GET; never throws.</summary>
    private async Task ProbeAsync(CancellationToken stop)
    {
        Interlocked.Increment(ref this.requests);
        try
        {
            var answer = await this.nginx.GetAsync("/", stop);
            var answeredAt = Stopwatch.GetTimestamp();
            if (answer.Status != HttpStatusCode.OK)
            {
                Failed(answer.ToString());
            }
            else if (wanted(answer))
            {
                long seen;
                do
                {
                    seen = Interlocked.Read(ref this.firstMatch);
                }
                while (answeredAt < seen && Interlocked.CompareExchange(ref this.firstMatch, answeredAt, seen) != seen);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is OperationCanceledException && !stop.IsCancellationRequested))
        {
            Failed(exception.Message);
        }
        catch (OperationCanceledException)
        {
            // The poll ended while this request was in flight: not a failure.
        }
        finally
        {
            firstAnswer.TrySetResult();
        }
    }

    private void Failed(string error)
    {
        Interlocked.Increment(ref failures);
        Interlocked.CompareExchange(ref firstError, error, null);
    }
}
