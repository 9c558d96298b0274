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

public sealed class WebhookNotifierTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly AgentEvents events = new();
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<IDisposable> owned = [];

    public void Dispose()
    {
        owned.ForEach(o => o.Dispose());
        services.Dispose();
    }

    /// <summary>One notifier whose webhooks each send through their own stub handler (hosts a.test, b.test, ...).</summary>
    private WebhookNotifier Notifier(params (WebhookOptions Options, StubWebhookHandler Handler)[] webhooks)
    {
        var targets = webhooks.Select((w, i) => WebhookTarget.From(w.Options, i)).ToList();
        var sender = new WebhookSender(
            new HttpClient(new RoutingHandler(webhooks.Select(w => w.Handler).ToList())),
            time,
            WebhookBackoff.Default,
            new RecordingLogger<WebhookSender>());
        var notifier = new WebhookNotifier(
            targets,
            events,
            sender,
            new NotificationMetrics(services.GetRequiredService<IMeterFactory>()),
            "srv1",
            time,
            new RecordingLogger<WebhookNotifier>());
        owned.Add(notifier);
        return notifier;
    }

    private static WebhookOptions Webhook(int index, WebhookFormat format = WebhookFormat.Json, List<string>? kinds = null, int timeoutSeconds = 5) => new()
    {
        Url = $"https://{(char)('a' + index)}.test/hook",
        Format = format,
        Events = kinds ?? [],
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        MaxAttempts = 2,
    };

    [Fact]
    public async Task Publish_SlowWebhook_DoesNotDelayTheOthers()
    {
        var dead = new StubWebhookHandler((_, token) => StubWebhookHandler.Hang(token));
        var healthy = StubWebhookHandler.Answering(HttpStatusCode.OK);
        var notifier = Notifier((Webhook(0, timeoutSeconds: 300), dead), (Webhook(1, WebhookFormat.Discord), healthy));
        await notifier.StartAsync(CancellationToken.None);

        events.Publish(SampleEvents.DeploySucceeded());
        events.Publish(SampleEvents.Of(AgentEventKind.DeployStarted));

        await dead.CallAsync(1);
        await healthy.CallAsync(2);
        Assert.Equal(1, dead.Calls);
        Assert.Equal("Deploy succeeded: web", JsonNode.Parse(healthy.Bodies[0])!["content"]!.GetValue<string>());
        Assert.Equal("Deploy started: web", JsonNode.Parse(healthy.Bodies[1])!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_KindTheWebhookDidNotChoose_IsNotSent()
    {
        var handler = StubWebhookHandler.Answering(HttpStatusCode.OK);
        var notifier = Notifier((Webhook(0, kinds: ["DeployFailed"]), handler));
        await notifier.StartAsync(CancellationToken.None);

        events.Publish(SampleEvents.Of(AgentEventKind.DeployStarted));
        events.Publish(SampleEvents.Of(AgentEventKind.CheckFailing));
        events.Publish(SampleEvents.Of(AgentEventKind.DeployFailed));
        await handler.CallAsync(1);
        await notifier.StopAsync(CancellationToken.None);

        var sent = Assert.Single(handler.Bodies);
        Assert.Equal("DeployFailed", JsonNode.Parse(sent)!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_HealAndCheckEvents_ReachTheWebhookInOrder()
    {
        var handler = StubWebhookHandler.Answering(HttpStatusCode.OK);
        var notifier = Notifier((Webhook(0), handler));
        await notifier.StartAsync(CancellationToken.None);
        AgentEventKind[] kinds =
        [
            AgentEventKind.CheckFailing,
            AgentEventKind.IncidentOpened,
            AgentEventKind.AutoHealed,
            AgentEventKind.CheckRecovered,
            AgentEventKind.IncidentClosed
        ];

        foreach (var kind in kinds)
        {
            events.Publish(SampleEvents.Of(kind));
        }

        await handler.CallAsync(kinds.Length);
        Assert.Equal(kinds.Select(k => k.ToString()), handler.Bodies.Select(b => JsonNode.Parse(b)!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StopAsync_QueuedEvents_AreSentBeforeItReturns()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new StubWebhookHandler(async (_, _) =>
        {
            await gate.Task;
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var notifier = Notifier((Webhook(0), handler));
        await notifier.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            events.Publish(SampleEvents.Of(AgentEventKind.DeployStarted, $"app{i}"));
        }

        await handler.CallAsync(1);
        var stopping = notifier.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        await stopping.WaitAsync(Guard);

        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task StopAsync_HostOutOfTime_AbandonsADeadWebhook()
    {
        var (notifier, dead) = await StartedWithADeadWebhookAsync();

        using var outOfTime = new CancellationTokenSource();
        await outOfTime.CancelAsync();
        await notifier.StopAsync(outOfTime.Token).WaitAsync(Guard);

        Assert.Equal(1, dead.Calls);
    }

    [Fact]
    public async Task StopAsync_DeadWebhook_GivesUpAfterTheFlushGrace()
    {
        var (notifier, _) = await StartedWithADeadWebhookAsync();

        var stopping = notifier.StopAsync(CancellationToken.None);
        // The grace timer starts once the dispatcher has handed on what it held; advance until it has passed.
        while (!stopping.IsCompleted && time.GetUtcNow() < new DateTimeOffset(2026, 11, 27, 10, 1, 0, TimeSpan.Zero))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(stopping, Task.Delay(50));
        }

        await stopping.WaitAsync(Guard);
        Assert.InRange(
            time.GetUtcNow() - new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
            WebhookNotifier.FlushGrace,
            WebhookNotifier.FlushGrace + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task StartAsync_NoWebhooks_DoesNotSubscribe()
    {
        var notifier = Notifier();

        await notifier.StartAsync(CancellationToken.None);
        events.Publish(SampleEvents.Of(AgentEventKind.DeployStarted));
        await notifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Deliveries_AreCountedByWebhookAndOutcome()
    {
        var counted = new List<(string Webhook, string Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other tests count deliveries on meters of their own at the same time.
            if (instrument.Meter.Name == "Mizan.Agent"
                && instrument.Name == "mizan.notification.deliveries"
                && ReferenceEquals(instrument.Meter.Scope, services.GetRequiredService<IMeterFactory>()))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (counted)
            {
                counted.Add(((string)tags[0].Value!, (string)tags[1].Value!));
            }
        });
        listener.Start();
        var good = StubWebhookHandler.Answering(HttpStatusCode.OK);
        var refusing = StubWebhookHandler.Answering(HttpStatusCode.Gone);
        var notifier = Notifier((Webhook(0), good), (Webhook(1), refusing));
        await notifier.StartAsync(CancellationToken.None);

        events.Publish(SampleEvents.Of(AgentEventKind.DeployStarted));
        await notifier.StopAsync(CancellationToken.None);

        Assert.Equal([("webhook #0 (a.test)", "delivered"), ("webhook #1 (b.test)", "failed")], counted.Order());
    }

    /// <summary>A notifier whose only webhook never answers (within 300 s) and holds a DeployStarted in flight.</summary>
    private async Task<(WebhookNotifier Notifier, StubWebhookHandler Dead)> StartedWithADeadWebhookAsync()
    {
        var dead = new StubWebhookHandler((_, token) => StubWebhookHandler.Hang(token));
        var notifier = Notifier((Webhook(0, timeoutSeconds: 300), dead));
        await notifier.StartAsync(CancellationToken.None);
        events.Publish(SampleEvents.Of(AgentEventKind.DeployStarted));
        await dead.CallAsync(1);
        return (notifier, dead);
    }

    /// <summary>Sends each request to the stub of its host: a.test to the first, b.test to the second.</summary>
    private sealed class RoutingHandler(IReadOnlyList<StubWebhookHandler> handlers) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(handlers[request.RequestUri!.Host[0] - 'a'], disposeHandler: false).SendAsync(request, cancellationToken);
    }
}
