using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class WebhookAnsweringFirstWith500GetsTheRetry(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheSamePayloadIsSentAgainAfterABackoffAndTheOrderIsKept()
    {
        await using var receiver = WebhookReceiver.Start();
        receiver.FailNext(1, HttpStatusCode.InternalServerError);
        var url = receiver.NewSecretUrl("json", out var secret);
        await StartAsync(configure: c => c.WithWebhook(url, "Json", name: "flaky-receiver", maxAttempts: 3));

        var deploy = await DeploySucceedsAsync(AppVariant.V1);
        await receiver.WaitForAsync(r => r.Kind == "DeploySucceeded" && r.DeploymentId == deploy.DeploymentId, "DeploySucceeded", Token);

        var requests = receiver.Requests;
        Assert.True(requests.Count == 3, $"expected started (500), started again (200), succeeded (200):{Environment.NewLine}{receiver.Describe()}");
        Assert.Equal(("DeployStarted", 500), (requests[0].Kind, requests[0].Status));
        Assert.Equal(("DeployStarted", 200), (requests[1].Kind, requests[1].Status));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(("DeploySucceeded", 200), (requests[2].Kind, requests[2].Status));
        var backoff = requests[1].At - requests[0].At;
        Output.WriteLine($"retry came {backoff.TotalMilliseconds:0} ms after the 500 (first backoff: 0.5-1 s)");
        Assert.True(backoff >= TimeSpan.FromMilliseconds(400), $"the retry must wait for the backoff, came after {backoff.TotalMilliseconds:0} ms");

        var log = Agent.Output.Text;
        Assert.Contains("Webhook flaky-receiver: DeployStarted", log, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", log, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
    }
}
