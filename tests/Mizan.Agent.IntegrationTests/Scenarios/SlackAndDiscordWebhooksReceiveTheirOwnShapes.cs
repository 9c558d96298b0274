using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class SlackAndDiscordWebhooksReceiveTheirOwnShapes(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task SlackGetsTextAndBlocksForTheEventsItChoseAndDiscordGetsAColouredEmbed()
    {
        await using var receiver = WebhookReceiver.Start();
        var slackUrl = receiver.NewSecretUrl("slack", out _);
        var discordUrl = receiver.NewSecretUrl("discord", out _);
        await StartAsync(configure: c => c
            .WithWebhook(slackUrl, "Slack", name: "team-slack", events: ["DeploySucceeded", "DeployFailed"])
            .WithWebhook(discordUrl, "Discord", name: "ops-discord"));

        var deploy = await DeploySucceedsAsync(AppVariant.V1);

        var slack = await receiver.WaitForAsync(r => r.Path.StartsWith("/slack/", StringComparison.Ordinal), "the Slack message", Token);
        var slackJson = slack.Json;
        Assert.Contains("Deploy succeeded", slackJson.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(AppName, slackJson.GetProperty("text").GetString(), StringComparison.Ordinal);
        var blocks = slackJson.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("section", blocks[0].GetProperty("type").GetString());
        Assert.Equal("mrkdwn", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.StartsWith(":white_check_mark: *Deploy succeeded", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(
            blocks,
            b => b.TryGetProperty("fields", out var fields)
                && fields.EnumerateArray().Any(f => f.GetProperty("text").GetString()!.StartsWith("*image*", StringComparison.Ordinal)));
        var context = blocks[^1];
        Assert.Equal("context", context.GetProperty("type").GetString());
        Assert.Contains(deploy.DeploymentId, context.GetProperty("elements")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        var discordStarted = await receiver.WaitForAsync(
            r => r.Path.StartsWith("/discord/", StringComparison.Ordinal) && r.Body.Contains("Deploy started", StringComparison.Ordinal),
            "the Discord 'Deploy started' message",
            Token);
        var discord = await receiver.WaitForAsync(
            r => r.Path.StartsWith("/discord/", StringComparison.Ordinal) && r.Body.Contains("Deploy succeeded", StringComparison.Ordinal),
            "the Discord 'Deploy succeeded' message",
            Token);
        var discordJson = discord.Json;
        Assert.Equal($"Deploy succeeded: {AppName}", discordJson.GetProperty("content").GetString());
        var embed = Assert.Single(discordJson.GetProperty("embeds").EnumerateArray());
        Assert.Equal(0x2EB67D, embed.GetProperty("color").GetInt32());
        Assert.Contains(AppName, embed.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(
            embed.GetProperty("fields").EnumerateArray(),
            f => f.GetProperty("name").GetString() == "deployment" && f.GetProperty("value").GetString() == deploy.DeploymentId);
        Assert.Equal($"mizan-agent on {Environment.MachineName}", embed.GetProperty("footer").GetProperty("text").GetString());
        Assert.Empty(discordJson.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
        Assert.Equal(0x36C5F0, Assert.Single(discordStarted.Json.GetProperty("embeds").EnumerateArray()).GetProperty("color").GetInt32());

        // One queue per webhook keeps order: had Slack's filter let DeployStarted through, it would have come before.
        Assert.Single(receiver.Requests, r => r.Path.StartsWith("/slack/", StringComparison.Ordinal));
    }
}
