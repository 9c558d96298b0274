using System.Diagnostics;

namespace Mizan.Tests.Common;

/// <summary>Polls a condition until it holds or a deadline passes: the only way the tests wait.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns how long the wait took; throws <see cref="TimeoutException"/> naming what was awaited.</summary>
    public static async Task<TimeSpan> TrueAsync(
        Func<CancellationToken, Task<bool>> condition,
        TimeSpan deadline,
        Func<string> whatWeWaitedFor,
        CancellationToken cancellationToken,
        TimeSpan? pollInterval = null)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            while (true)
            {
                bool holds;
                try
                {
                    holds = await condition(timeout.Token);
                }
                catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                {
                    // A probe's own time-out (e.g. HttpClient.Timeout) is a "not yet", not the end of the wait.
                    holds = false;
                }

                if (holds)
                {
                    return clock.Elapsed;
                }

                await Task.Delay(pollInterval ?? DefaultPollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {deadline.TotalSeconds:0.#} s for {whatWeWaitedFor()}");
        }
    }

    public static Task<TimeSpan> TrueAsync(Func<bool> condition, TimeSpan deadline, Func<string> whatWeWaitedFor, CancellationToken cancellationToken) =>
        TrueAsync(_ => Task.FromResult(condition()), deadline, whatWeWaitedFor, cancellationToken);

    /// <summary>The short form, for conditions that run a command: <paramref name="what"/> names the wait.</summary>
    public static Task<TimeSpan> TrueAsync(
        string what,
        TimeSpan deadline,
        Func<Task<bool>> condition,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default) =>
        TrueAsync(_ => condition(), deadline, () => what, cancellationToken, pollInterval);

    /// <summary>Polls until <paramref name="probe"/> gives a value that <paramref name="accept"/> takes; returns it.</summary>
    public static async Task<T> ValueAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> accept,
        TimeSpan deadline,
        Func<T?, string> whatWeWaitedFor,
        CancellationToken cancellationToken)
    {
        T? last = default;
        await TrueAsync(
            async token =>
            {
                last = await probe(token);
                return accept(last);
            },
            deadline,
            () => whatWeWaitedFor(last),
            cancellationToken);
        return last!;
    }
}
