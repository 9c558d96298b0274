using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class RetentionRemovesOldImagesAndHistory(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan KeepHistoryFor = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ImagesBeyondLiveStandbyAndTheLastVersionGoAndSoDoesOldHistory()
    {
        // A repository of this test's own: the clean-up must not touch the images other tests deploy.
        var repository = $"mizan-retention-{AppName}";
        await StartAsync(configure: c => c
            .WithImageRepository($"{Registry.Host}/{repository}")
            .WithRetention(interval: TimeSpan.FromSeconds(1), keepImages: 1, keepHistoryFor: KeepHistoryFor));
        // Pushed while the clean-up already runs every second: an image the agent never deployed is not its to remove.
        var v1 = await TestImages.PushAsync(AppVariant.V1, Registry, Token, repository);
        var v2 = await TestImages.PushAsync(AppVariant.V2, Registry, Token, repository);
        var v3 = await TestImages.PushAsync(AppVariant.Settings, Registry, Token, repository);

        var first = await DeployAsync(v1.Tag);
        AssertState(first, DeploymentState.Succeeded);
        AssertState(await DeployAsync(v2.Tag), DeploymentState.Succeeded);
        var last = await DeployAsync(v3.Tag);
        AssertState(last, DeploymentState.Succeeded);

        // v1 is neither live (v3), nor standby (v2), nor among the last 1 version: its references go.
        var references = await Eventually.ValueAsync(
            _ => LocalReferencesAsync($"{Registry.Host}/{repository}"),
            found => !found.Any(r => r.Contains(v1.Digest, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20),
            found => $"v1 ({v1.Digest}) to be removed; local references: {string.Join(", ", found ?? [])}{Environment.NewLine}{AgentLogTail(20)}",
            Token);
        Assert.Contains(references, r => r.Contains(v2.Digest, StringComparison.Ordinal));
        Assert.Contains(references, r => r.Contains(v3.Digest, StringComparison.Ordinal));
        // The engine may report the image gone a moment before the agent's log line about it is read.
        await Eventually.TrueAsync(
            _ => Task.FromResult(Agent.Output.Text.Contains("Retention: removed image", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5),
            () => $"the agent to log the removal{Environment.NewLine}{AgentLogTail(20)}",
            Token);

        // History older than KeepHistoryFor goes; the newest deployment is still younger than that for a while.
        var remaining = await Eventually.ValueAsync(
            async _ => (await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments,
            deployments => deployments.All(d => d.Id != first.DeploymentId),
            KeepHistoryFor + TimeSpan.FromSeconds(10),
            deployments => $"the first deployment {first.DeploymentId} to be deleted; still: {string.Join(", ", deployments?.Select(d => d.Id) ?? [])}",
            Token);
        Output.WriteLine($"remaining history: {string.Join(", ", remaining.Select(d => $"{d.Id} ended {d.EndedAt}"))}");
        await AssertServesAsync("settings", last.Result!.ToSlot);
    }

    /// <summary>"repo:tag" and "repo@digest" references of <paramref name="repository"/> in the local engine.</summary>
    private async Task<IReadOnlyList<string>> LocalReferencesAsync(string repository)
    {
        var listed = await DockerCli.RunAsync(
            ["image", "ls", "--digests", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}", repository],
            Token);
        return listed.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
