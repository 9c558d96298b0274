using System.Threading.Channels;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Reporting.Metrics;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// One webhook's own queue and sender loop: a slow or dead receiver only delays its own messages. The queue is
/// bounded; when it is full the oldest message is dropped (and counted), since a deploy must never wait for a webhook.
/// </summary>
public sealed partial class WebhookOutbox
{
    public const int Capacity = 256;

    private readonly WebhookTarget target;
    private readonly WebhookSender sender;
    private readonly string host;
    private readonly NotificationMetrics metrics;
    private readonly ILogger logger;
    private readonly Channel<AgentEvent> channel;

    public WebhookOutbox(WebhookTarget target, WebhookSender sender, string host, NotificationMetrics metrics, ILogger logger)
    {
        this.target = target;
        this.sender = sender;
        this.host = host;
        this.metrics = metrics;
        this.logger = logger;
        channel = Channel.CreateBounded<AgentEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            OnDropped);
    }

    public WebhookTarget Target => target;

    /// <summary>Events accepted but not yet sent.</summary>
    public int Pending => channel.Reader.Count;

    /// <summary>Queues the event if the webhook wants it; never waits.</summary>
    public void Offer(AgentEvent agentEvent)
    {
        if (target.Filter.Matches(agentEvent))
        {
            channel.Writer.TryWrite(agentEvent);
        }
    }

    /// <summary>No more events: <see cref="RunAsync"/> ends once the queued ones are sent.</summary>
    public void Complete() => channel.Writer.TryComplete();

    /// <summary>Sends queued events one after the other, in order, until <see cref="Complete"/> or <paramref name="abort"/>.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        try
        {
            await foreach (var agentEvent in channel.Reader.ReadAllAsync(abort))
            {
                await SendAsync(agentEvent, abort);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Shutdown ran out of time: what is still queued is lost, and StopAsync has said how much.
        }
    }

    private async Task SendAsync(AgentEvent agentEvent, CancellationToken abort)
    {
        try
        {
            var body = WebhookPayloads.Render(target.Format, agentEvent, host);
            var result = await sender.DeliverAsync(target, agentEvent, body, abort);
            if (result.Delivered)
            {
                metrics.Delivered(target.Name);
            }
            else
            {
                metrics.Failed(target.Name);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad message must not end the loop: the webhook would go silent for good. The type only, as elsewhere.
            metrics.Failed(target.Name);
            LogFailed(logger, target.Name, agentEvent.Kind, agentEvent.App, agentEvent.DeploymentId, ex.GetType().Name);
        }
    }

    private void OnDropped(AgentEvent agentEvent)
    {
        metrics.Dropped(target.Name);
        LogDropped(logger, target.Name, agentEvent.Kind, agentEvent.App, agentEvent.DeploymentId, Capacity);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook}: {Kind} of {App} dropped (deployment {DeploymentId}): " +
        "{Capacity} messages were already waiting for a receiver that does not keep up")]
    private static partial void LogDropped(ILogger logger, string webhook, AgentEventKind kind, string app, string? deploymentId, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Webhook}: {Kind} of {App} not sent (deployment {DeploymentId}): {ExceptionType}")]
    private static partial void LogFailed(ILogger logger, string webhook, AgentEventKind kind, string app, string? deploymentId, string exceptionType);
}
