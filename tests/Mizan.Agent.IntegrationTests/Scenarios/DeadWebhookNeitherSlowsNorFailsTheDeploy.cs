using System.Diagnostics;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class DeadWebhookNeitherSlowsNorFailsTheDeploy(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan HangingTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheDeploySucceedsWhileAHangingWebhookWaitsAndADownOneGivesUpWithoutItsUrlInTheLogs()
    {
        await using var hanging = WebhookReceiver.Start(hang: true);
        await using var healthy = WebhookReceiver.Start();
        var hangingUrl = hanging.NewSecretUrl("hangs", out var hangingSecret);
        var healthyUrl = healthy.NewSecretUrl("json", out var healthySecret);
        var downSecret = "s3cr3t" + Guid.NewGuid().ToString("N");
        var downUrl = $"http://127.0.0.1:{FreePorts.Next()}/services/T000/B000/{downSecret}";
        await StartAsync(configure: c => c
            .WithWebhook(hangingUrl, "Slack", timeout: HangingTimeout, maxAttempts: 2)
            .WithWebhook(downUrl, "Discord", maxAttempts: 2)
            .WithWebhook(healthyUrl, "Json", name: "healthy"));
        var image = await ImageAsync(AppVariant.V1);

        var clock = Stopwatch.StartNew();
        var deploy = await DeployAsync(image.Tag);
        var deployTook = clock.Elapsed;
        var deployEnded = DateTimeOffset.UtcNow;

        AssertState(deploy, Mizan.Agent.V1.DeploymentState.Succeeded);
        Output.WriteLine(
            $"deploy took {deployTook.TotalSeconds:0.00} s; the hanging webhook had {hanging.Requests.Count} request(s) by then "
            + $"(timeout {HangingTimeout.TotalSeconds:0} s)");
        Assert.True(deployTook < HangingTimeout, $"the deploy took {deployTook}");
        // The first attempt may reach the receiver a moment after the deploy's end (its queue runs on its own), but
        // it must then stay open: had the deploy waited for it, it would have timed out and a second one begun.
        await hanging.WaitForAsync(_ => true, "the hanging webhook's first attempt", Token, TimeSpan.FromSeconds(10));
        Assert.True(hanging.Requests is [{ Status: 0 }], $"the hanging webhook's first attempt must still be open:{Environment.NewLine}{hanging.Describe()}");

        var succeeded = await healthy.WaitForAsync(
            r => r.Kind == "DeploySucceeded" && r.DeploymentId == deploy.DeploymentId,
            "DeploySucceeded at the healthy webhook",
            Token,
            TimeSpan.FromSeconds(10));
        Output.WriteLine(
            $"the healthy webhook had DeploySucceeded {(succeeded.At - deployEnded).TotalMilliseconds:0} ms "
            + "after the client read the deploy's end (negative: before)");
        Assert.True(hanging.Requests.Count == 1, $"still only the first attempt at the hanging webhook:{Environment.NewLine}{hanging.Describe()}");

        // The down webhook gives up on DeployStarted (connection refused, twice): that failure is logged by name and host only.
        await Eventually.TrueAsync(
            () => Agent.Output.Text.Contains("Webhook webhook #1 (127.0.0.1): DeployStarted", StringComparison.Ordinal)
                && Agent.Output.Text.Contains("given up after 2 attempt(s)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            () => $"the down webhook's 'given up' line{Environment.NewLine}{AgentLogTail()}",
            Token);
        Assert.Contains("network error (ConnectionError)", Agent.Output.Text, StringComparison.Ordinal);

        var everythingLogged = Agent.Output.Text + string.Concat(Directory.EnumerateFiles(Config.LogDirectory).Select(ReadShared));
        foreach (var secret in new[] { hangingSecret, healthySecret, downSecret, "/services/T000/B000" })
        {
            Assert.DoesNotContain(secret, everythingLogged, StringComparison.Ordinal);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
