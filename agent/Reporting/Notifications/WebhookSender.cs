using System.Net.Http.Headers;
using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// POSTs one payload to one webhook: each attempt within the webhook's Timeout, up to MaxAttempts, waiting
/// <see cref="WebhookBackoff"/> between them. Logs name the webhook, never its URL.
/// </summary>
public sealed partial class WebhookSender(HttpClient http, TimeProvider time, WebhookBackoff backoff, ILogger<WebhookSender> logger)
{
    /// <returns>The last attempt: delivered, or why the payload was given up.</returns>
    public async Task<WebhookAttempt> DeliverAsync(WebhookTarget target, AgentEvent agentEvent, byte[] body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await AttemptAsync(target, body, cancellationToken);
            if (result.Delivered)
            {
                LogDelivered(logger, target.Name, agentEvent.Kind, agentEvent.App, agentEvent.DeploymentId, attempt);
                return result;
            }

            if (!result.Retryable || attempt >= target.MaxAttempts)
            {
                LogGaveUp(logger, target.Name, agentEvent.Kind, agentEvent.App, agentEvent.DeploymentId, attempt, result.Reason);
                return result;
            }

            // The due time is fixed before the log line, so a test that advances its clock on seeing the line never races the timer.
            var delay = backoff.DelayBefore(attempt - 1, result.RetryAfter);
            var due = time.GetUtcNow() + delay;
            LogRetrying(
                logger,
                target.Name,
                agentEvent.Kind,
                agentEvent.App,
                agentEvent.DeploymentId,
                attempt,
                target.MaxAttempts,
                result.Reason,
                delay.TotalSeconds);
            var remaining = due - time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, time, cancellationToken);
            }
        }
    }

    private async Task<WebhookAttempt> AttemptAsync(WebhookTarget target, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(target.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = content };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return WebhookAttempt.Answered(response.StatusCode, RetryAfterOf(response));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return WebhookAttempt.TimedOut(target.Timeout);
        }
        catch (HttpRequestException ex)
        {
            // Not ex.Message: it is not ours, and nothing promises it leaves the URL out.
            return WebhookAttempt.NetworkError(ex.HttpRequestError);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return WebhookAttempt.NotSent(ex);
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {Webhook}: {Kind} of {App} delivered (deployment {DeploymentId}, attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string webhook, AgentEventKind kind, string app, string? deploymentId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Webhook}: {Kind} of {App} not delivered " +
        "(deployment {DeploymentId}, attempt {Attempt} of {MaxAttempts}: {Reason}); retry in {DelaySeconds:0.0} s")]
    private static partial void LogRetrying(
        ILogger logger,
        string webhook,
        AgentEventKind kind,
        string app,
        string? deploymentId,
        int attempt,
        int maxAttempts,
        string reason,
        double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: {Kind} of {App} given up after {Attempt} attempt(s) " +
        "(deployment {DeploymentId}): {Reason}; check the webhook's URL and that its receiver is up")]
    private static partial void LogGaveUp(ILogger logger, string webhook, AgentEventKind kind, string app, string? deploymentId, int attempt, string reason);
}
