using System.Globalization;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class DeploysAreAnnouncedToAJsonWebhook(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AGoodDeploySendsStartedAndSucceededAndABadOneSendsFailed()
    {
        await using var receiver = WebhookReceiver.Start();
        var url = receiver.NewSecretUrl("json", out _);
        await StartAsync(configure: c => c
            .WithHealth(startTimeout: TimeSpan.FromSeconds(2))
            .WithWebhook(url, "Json"));

        var good = await DeploySucceedsAsync(AppVariant.V1);
        var started = await receiver.WaitForAsync(
            r => r.Kind == "DeployStarted" && r.DeploymentId == good.DeploymentId,
            "DeployStarted of the good deploy",
            Token);
        var succeeded = await receiver.WaitForAsync(
            r => r.Kind == "DeploySucceeded" && r.DeploymentId == good.DeploymentId,
            "DeploySucceeded of the good deploy",
            Token);

        Assert.Equal("POST", started.Method);
        Assert.StartsWith("application/json", started.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("mizan-agent/", started.UserAgent, StringComparison.Ordinal);
        foreach (var payload in new[] { started, succeeded })
        {
            var json = payload.Json;
            Assert.Equal("mizan.agent.event.v1", json.GetProperty("schema").GetString());
            Assert.Equal(AppName, json.GetProperty("app").GetString());
            Assert.Equal(Environment.MachineName, json.GetProperty("host").GetString());
            var at = DateTimeOffset.Parse(json.GetProperty("at").GetString()!, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs((DateTimeOffset.UtcNow - at).TotalMinutes) < 5, $"'at' should be about now: {at:O}");
            Assert.Contains(AppName, json.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Contains("integration-test", json.GetProperty("details").GetProperty("requested_by").GetString(), StringComparison.Ordinal);
            Assert.Contains(":v1", json.GetProperty("details").GetProperty("image").GetString(), StringComparison.Ordinal);
        }

        var succeededDetails = succeeded.Json.GetProperty("details");
        Assert.Equal(good.Result!.ToSlot, succeededDetails.GetProperty("to_slot").GetString());
        Assert.Equal("Succeeded", succeededDetails.GetProperty("state").GetString());
        Assert.True(succeededDetails.TryGetProperty("duration_ms", out _), succeeded.Body);
        Assert.True(receiver.Requests.ToList().IndexOf(started) < receiver.Requests.ToList().IndexOf(succeeded), receiver.Describe());

        var bad = await DeployAsync(AppVariant.Unhealthy);
        AssertState(bad, Mizan.Agent.V1.DeploymentState.Failed);
        var failed = await receiver.WaitForAsync(
            r => r.Kind == "DeployFailed" && r.DeploymentId == bad.DeploymentId,
            "DeployFailed of the unhealthy deploy",
            Token);
        Assert.Contains("failed", failed.Json.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("Failed", failed.Json.GetProperty("details").GetProperty("state").GetString());
        Assert.DoesNotContain(receiver.Requests, r => r.Kind == "DeploySucceeded" && r.DeploymentId == bad.DeploymentId);
    }
}
