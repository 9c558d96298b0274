using System.Net;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class WebhookSenderTests
{
    private const string Secret = "XyZsecretToken";
    private static readonly byte[] Body = "{\"kind\":\"DeploySucceeded\"}"u8.ToArray();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger<WebhookSender> logger = new();

    // Jitter 0.5: the wait before retry n is 0.75 * 2^n s.
    private WebhookSender Sender(StubWebhookHandler handler) =>
        new(new HttpClient(handler), time, new WebhookBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), () => 0.5), logger);

    private static WebhookTarget Target(int maxAttempts = 4, int timeoutSeconds = 5) => WebhookTarget.From(
        new WebhookOptions
        {
            Name = "ops",
            Url = $"https://hooks.example.com/services/{Secret}",
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            MaxAttempts = maxAttempts
        },
        0);

    private static Task<WebhookAttempt> DeliverAsync(WebhookSender sender, WebhookTarget target) =>
        sender.DeliverAsync(target, SampleEvents.Of(AgentEventKind.DeploySucceeded), Body, CancellationToken.None);

    [Fact]
    public async Task DeliverAsync_Answered200_SendsOnceAsJson()
    {
        var handler = StubWebhookHandler.Answering(HttpStatusCode.OK);

        var result = await DeliverAsync(Sender(handler), Target());

        Assert.True(result.Delivered);
        Assert.Equal(1, handler.Calls);
        var request = await handler.CallAsync(1);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/json; charset=utf-8", request.Content!.Headers.ContentType!.ToString());
        Assert.Equal("{\"kind\":\"DeploySucceeded\"}", handler.Bodies[0]);
    }

    [Fact]
    public async Task DeliverAsync_FirstAnswer500_RetriesAfterTheBackoffAndDelivers()
    {
        var handler = StubWebhookHandler.Answering(HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        var delivery = DeliverAsync(Sender(handler), Target());

        var retry = await logger.WaitForAsync("retry in");
        Assert.Contains("attempt 1 of 4: HTTP 500); retry in 0.8 s", retry, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMilliseconds(749));
        Assert.Equal(1, handler.Calls);
        Assert.False(delivery.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await delivery.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Delivered);
        Assert.Equal(2, handler.Calls);
        Assert.Equal(handler.Bodies[0], handler.Bodies[1]);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MovedPermanently)]
    public async Task DeliverAsync_AnswerThatRetryingCannotFix_GivesUpAtOnce(HttpStatusCode status)
    {
        var handler = StubWebhookHandler.Answering(status, HttpStatusCode.OK);

        var result = await DeliverAsync(Sender(handler), Target());

        Assert.False(result.Delivered);
        Assert.Equal($"HTTP {(int)status}", result.Reason);
        Assert.Equal(1, handler.Calls);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: Webhook ops: DeploySucceeded of web given up after 1 attempt(s)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void IsRetryable_SaysLaterOrReceiverTrouble_IsTrue(HttpStatusCode status)
    {
        Assert.True(WebhookAttempt.IsRetryable(status));
    }

    [Fact]
    public async Task DeliverAsync_429WithRetryAfter_WaitsWhatTheReceiverAsked()
    {
        var handler = new StubWebhookHandler((n, _) =>
        {
            var response = new HttpResponseMessage(n == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return Task.FromResult(response);
        });
        var delivery = DeliverAsync(Sender(handler), Target());

        Assert.Contains("HTTP 429); retry in 7.0 s", await logger.WaitForAsync("retry in"), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(delivery.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.True((await delivery.WaitAsync(TimeSpan.FromSeconds(10))).Delivered);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task DeliverAsync_NoAnswerWithinTheTimeout_IsCutAndRetried()
    {
        var handler = new StubWebhookHandler((n, token) =>
            n == 1 ? StubWebhookHandler.Hang(token) : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        var delivery = DeliverAsync(Sender(handler), Target(timeoutSeconds: 5));

        await handler.CallAsync(1);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains("no answer within 5 s); retry in 0.8 s", await logger.WaitForAsync("retry in"), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(0.75));

        Assert.True((await delivery.WaitAsync(TimeSpan.FromSeconds(10))).Delivered);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task DeliverAsync_NetworkErrorEveryTime_GivesUpAfterMaxAttemptsWithoutTheUrlInAnyLine()
    {
        // HttpClient's own message may hold the address; the sender must not pass it on.
        var handler = new StubWebhookHandler((_, _) => throw new HttpRequestException(
            HttpRequestError.ConnectionError, $"Connection refused (https://hooks.example.com/services/{Secret})"));
        var delivery = DeliverAsync(Sender(handler), Target(maxAttempts: 3));

        await logger.WaitForAsync("attempt 1 of 3");
        time.Advance(TimeSpan.FromSeconds(0.75));
        await logger.WaitForAsync("attempt 2 of 3");
        time.Advance(TimeSpan.FromSeconds(1.5));
        var result = await delivery.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(result.Delivered);
        Assert.Equal("network error (ConnectionError)", result.Reason);
        Assert.Equal(3, handler.Calls);
        Assert.Contains(logger.Lines, l => l.Contains("given up after 3 attempt(s)", StringComparison.Ordinal));
        Assert.All(logger.Lines, line =>
        {
            Assert.DoesNotContain(Secret, line, StringComparison.Ordinal);
            Assert.DoesNotContain("/services/", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task DeliverAsync_OneAttemptAllowed_DoesNotRetry()
    {
        var handler = StubWebhookHandler.Answering(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);

        var result = await DeliverAsync(Sender(handler), Target(maxAttempts: 1));

        Assert.False(result.Delivered);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task DeliverAsync_CancelledDuringBackoff_Stops()
    {
        var handler = StubWebhookHandler.Answering(HttpStatusCode.InternalServerError);
        using var stop = new CancellationTokenSource();
        var delivery = Sender(handler).DeliverAsync(Target(), SampleEvents.Of(AgentEventKind.DeployStarted), Body, stop.Token);

        await logger.WaitForAsync("retry in");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, handler.Calls);
    }
}
