using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Metrics;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// Hears every agent event and hands it to each configured webhook's own queue. On stop it sends what is queued for
/// at most <see cref="FlushGrace"/>, then gives up the rest: a dead receiver must not hold the agent's shutdown.
/// </summary>
public sealed partial class WebhookNotifier : IHostedService, IDisposable
{
    public static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(5);

    private readonly AgentEvents events;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly IReadOnlyList<WebhookOutbox> queues;
    private readonly CancellationTokenSource abort = new();
    private AgentEvents.Subscription? subscription;
    private Task dispatching = Task.CompletedTask;
    private Task sending = Task.CompletedTask;

    public WebhookNotifier(
        IOptions<AgentOptions> options,
        AgentEvents events,
        WebhookSender sender,
        NotificationMetrics metrics,
        TimeProvider time,
        ILogger<WebhookNotifier> logger)
        : this(Targets(options.Value.Notifications), events, sender, metrics, Environment.MachineName, time, logger)
    {
    }

    public WebhookNotifier(
        IReadOnlyList<WebhookTarget> targets,
        AgentEvents events,
        WebhookSender sender,
        NotificationMetrics metrics,
        string host,
        TimeProvider time,
        ILogger<WebhookNotifier> logger)
    {
        this.events = events;
        this.time = time;
        this.logger = logger;
        queues = [.. targets.Select(t => new WebhookOutbox(t, sender, host, metrics, logger))];
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (queues.Count == 0)
        {
            return Task.CompletedTask;
        }

        subscription = events.Subscribe();
        dispatching = Task.Run(() => DispatchAsync(subscription), CancellationToken.None);
        sending = Task.WhenAll(queues.Select(q => Task.Run(() => q.RunAsync(abort.Token), CancellationToken.None)));
        LogStarted(logger, queues.Count, string.Join(", ", queues.Select(q => $"{q.Target.Name} ({q.Target.Format})")));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (subscription is null)
        {
            return;
        }

        // Ends the subscription; the events it still holds are handed on before the queues are closed.
        subscription.Dispose();
        await dispatching;
        try
        {
            await sending.WaitAsync(FlushGrace, time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            foreach (var queue in queues.Where(q => q.Pending > 0))
            {
                LogUnsent(logger, queue.Target.Name, queue.Pending);
            }

            await abort.CancelAsync();
            await sending;
        }
    }

    public void Dispose()
    {
        subscription?.Dispose();
        abort.Dispose();
    }

    private static List<WebhookTarget> Targets(NotificationOptions options) =>
        [.. options.Webhooks.Select(WebhookTarget.From)];

    private async Task DispatchAsync(AgentEvents.Subscription events)
    {
        try
        {
            await foreach (var agentEvent in events.Reader.ReadAllAsync())
            {
                foreach (var queue in queues)
                {
                    queue.Offer(agentEvent);
                }
            }
        }
        finally
        {
            foreach (var queue in queues)
            {
                queue.Complete();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications to {WebhookCount} webhook(s): {Webhooks}")]
    private static partial void LogStarted(ILogger logger, int webhookCount, string webhooks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: {Pending} notification(s) not sent before the agent stopped")]
    private static partial void LogUnsent(ILogger logger, string webhook, int pending);
}
