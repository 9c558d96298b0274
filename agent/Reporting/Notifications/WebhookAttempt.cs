using System.Net;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// What one POST to a webhook came to. <see cref="Reason"/> is made by the agent (a status code, a timeout, the kind
/// of network error), never copied from an exception message, so it cannot carry the URL into a log.
/// </summary>
public sealed record WebhookAttempt(bool Delivered, bool Retryable, string Reason, TimeSpan? RetryAfter = null)
{
    public static WebhookAttempt Success { get; } = new(true, false, "delivered");

    public static WebhookAttempt Answered(HttpStatusCode status, TimeSpan? retryAfter) =>
        (int)status is >= 200 and < 300
            ? Success
            : new WebhookAttempt(false, IsRetryable(status), $"HTTP {(int)status}", IsRetryable(status) ? retryAfter : null);

    public static WebhookAttempt TimedOut(TimeSpan timeout) =>
        new(false, true, $"no answer within {timeout.TotalSeconds:0.###} s");

    public static WebhookAttempt NetworkError(HttpRequestError error) =>
        new(false, true, $"network error ({error})");

    /// <summary>The request could not even be built or sent (e.g. a header the runtime refused): trying again will not help.</summary>
    public static WebhookAttempt NotSent(Exception exception) =>
        new(false, false, $"request not sent ({exception.GetType().Name})");

    /// <summary>408 and 429 say "later"; 5xx says the receiver is in trouble. Other 4xx say the request is wrong: retrying repeats it.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
