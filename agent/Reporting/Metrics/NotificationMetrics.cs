using System.Diagnostics.Metrics;

namespace Mizan.Agent.Reporting.Metrics;

/// <summary>
/// mizan.notification.deliveries{webhook, outcome}: delivered, failed (given up after the attempts) or dropped (the
/// webhook's queue was full). A rising "failed" or "dropped" says a receiver is down while deploys carry on.
/// </summary>
public sealed class NotificationMetrics
{
    private readonly Counter<long> deliveries;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("Mizan.Agent");
        deliveries = meter.CreateCounter<long>(
            "mizan.notification.deliveries",
            unit: "{notification}",
            description: "Webhook notifications by outcome: delivered, failed or dropped");
    }

    public void Delivered(string webhook) => Count(webhook, "delivered");

    public void Failed(string webhook) => Count(webhook, "failed");

    public void Dropped(string webhook) => Count(webhook, "dropped");

    private void Count(string webhook, string outcome) =>
        deliveries.Add(1, new KeyValuePair<string, object?>("webhook", webhook), new KeyValuePair<string, object?>("outcome", outcome));
}
