namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// How long to wait before a webhook's next attempt: exponential backoff with "equal jitter" (half the ceiling fixed,
/// half random), so retries from several agents spread out yet never come back at once. A Retry-After the receiver
/// sent wins, up to <see cref="MaxRetryAfter"/>, so a receiver cannot park the queue for an hour.
/// </summary>
public sealed class WebhookBackoff(TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan maxRetryAfter, Func<double> random)
{
    public static WebhookBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), Random.Shared.NextDouble);

    public TimeSpan MaxRetryAfter => maxRetryAfter;

    /// <summary>The longest wait before retry <paramref name="retry"/> (0-based): min(max, first * 2^retry).</summary>
    public TimeSpan CeilingFor(int retry)
    {
        var ceiling = firstDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(retry, 0, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ceiling, maxDelay.TotalMilliseconds));
    }

    /// <summary>The wait before retry <paramref name="retry"/> (0-based), in [ceiling / 2, ceiling], or the receiver's Retry-After within the cap.</summary>
    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wanted)
        {
            return wanted < TimeSpan.Zero ? TimeSpan.Zero : wanted > maxRetryAfter ? maxRetryAfter : wanted;
        }

        var half = CeilingFor(retry) / 2;
        return half + (half * Math.Clamp(random(), 0, 1));
    }
}
