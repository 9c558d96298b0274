using System.Net.Sockets;

namespace Mizan.Bench.Modes;

/// <summary>
/// Watches a slot's port during a deploy, from the bench's side, to tell when the new container's app first answered:
/// a GET /health on a fresh connection about every millisecond. The slot's old container (the standby the deploy
/// replaces) may still answer at first; the deploy stops it before it starts the new one, so the port refuses in
/// between, and the first 200 after a refusal is the new app's. The time of that answer, against the container's
/// State.StartedAt, is the app's own time to become healthy: none of the agent's pacing is in it.
/// </summary>
public sealed class SlotPortWatcher
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private int refusals;
    private int answers;
    private string? lastError;

    private SlotPortWatcher()
    {
        FirstAnswerAfterRefusal = Task.FromResult<DateTimeOffset?>(null);
    }

    /// <summary>When the first 200 after a refusal arrived (wall clock), or null when the watch was stopped before.</summary>
    public Task<DateTimeOffset?> FirstAnswerAfterRefusal { get; private set; }

    /// <summary>What the watch saw, for when it saw no first answer.</summary>
    public string Describe() => $"{refusals} refusals, {answers} answers, last error: {lastError ?? "none"}";

    public static SlotPortWatcher Start(int port, CancellationToken stop)
    {
        var watcher = new SlotPortWatcher();
        watcher.FirstAnswerAfterRefusal = Task.Run(() => watcher.WatchAsync(port, stop), CancellationToken.None);
        return watcher;
    }

    private async Task<DateTimeOffset?> WatchAsync(int port, CancellationToken stop)
    {
        var target = new Uri($"http://127.0.0.1:{port}/");
        var refused = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(ProbeTimeout);
                try
                {
                    await using var connection = await RawHttpConnection.ConnectAsync(target, timeout.Token);
                    var response = await connection.SendAsync("GET", "/health", null, close: true, timeout.Token);
                    answers++;
                    if (refused && response.Status == 200)
                    {
                        return DateTimeOffset.UtcNow;
                    }
                }
                catch (Exception exception) when (exception is SocketException or IOException
                    || (exception is OperationCanceledException && !stop.IsCancellationRequested))
                {
                    // Refused, reset, or the old container going away: the new app has not answered yet.
                    refused = true;
                    refusals++;
                    lastError = exception.Message;
                }

                await Task.Delay(Interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The deploy ended first.
        }

        return null;
    }
}
