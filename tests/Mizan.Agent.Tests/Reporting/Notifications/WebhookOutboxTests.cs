using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Metrics;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public sealed class WebhookOutboxTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordingLogger<WebhookNotifier> logger = new();

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task Offer_WhileTheReceiverIsStuck_KeepsAtMostCapacityAndDropsTheOldest()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new StubWebhookHandler(async (_, _) =>
        {
            await gate.Task;
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var time = new FakeTimeProvider();
        var sender = new WebhookSender(new HttpClient(handler), time, WebhookBackoff.Default, new RecordingLogger<WebhookSender>());
        var target = WebhookTarget.From(new WebhookOptions { Name = "slow", Url = "https://a.test/hook" }, 0);
        var queue = new WebhookOutbox(target, sender, "srv1", new NotificationMetrics(services.GetRequiredService<IMeterFactory>()), logger);
        var running = queue.RunAsync(CancellationToken.None);

        queue.Offer(SampleEvents.Of(AgentEventKind.DeployStarted, "app0"));
        await handler.CallAsync(1);
        for (var i = 1; i <= WebhookOutbox.Capacity + 2; i++)
        {
            queue.Offer(SampleEvents.Of(AgentEventKind.DeployStarted, $"app{i}"));
        }

        Assert.Equal(WebhookOutbox.Capacity, queue.Pending);
        queue.Complete();
        gate.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        var apps = handler.Bodies.Select(b => JsonNode.Parse(b)!["app"]!.GetValue<string>()).ToList();
        Assert.Equal(["app0", .. Enumerable.Range(3, WebhookOutbox.Capacity).Select(i => $"app{i}")], apps);
        Assert.Equal(2, logger.Lines.Count(l => l.Contains("dropped", StringComparison.Ordinal)));
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: Webhook slow: DeployStarted of app1 dropped", StringComparison.Ordinal));
    }
}
