using System.Text.Json.Nodes;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <remarks>
/// The engine here enforces a memory limit with swap equal to it: an eating shell is killed within about a second.
/// Should an engine not enforce limits, the waits below time out with the container's state in the message.
/// </remarks>
public sealed class AppOverItsMemoryLimitIsReportedAsKilledOutOfMemory(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const string OutOfMemory = "killed: out of memory";

    private readonly TempDirectory trigger = new("memory-trigger");

    [Fact]
    public async Task TheCheckStepSaysKilledOutOfMemoryNotABareExitCode()
    {
        await StartAsync(configure: c => c
            .WithHealth(startTimeout: TimeSpan.FromSeconds(30))
            .WithContainer(new JsonObject { ["Memory"] = "16m" }));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;

        var outcome = await DeployAsync(AppVariant.MemoryHog);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Check, outcome.FirstFailedStep);
        var failed = outcome.OnlyEvent(Step.Check, StepStatus.Failed);
        Assert.Contains(OutOfMemory, failed.Message, StringComparison.Ordinal);
        var hog = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(hog is { OomKilled: true }, $"docker inspect must show State.OOMKilled: {hog}");
        await AssertServesAsync("v1", v1Slot);
    }

    [Fact]
    public async Task ALiveAppThatBlowsItsLimitFailsItsSelfCheckOpensAnIncidentAndAutoHealSaysOutOfMemory()
    {
        await StartAsync(configure: c => c
            .WithContainer(new JsonObject { ["Memory"] = "32m" })
            .WithVolume($"{trigger.Path}:{AppImageRecipe.SettingsMountPoint}:ro")
            .WithChecksEvery(TimeSpan.FromSeconds(1))
            .WithAutoHeal(failuresBeforeAction: 2));
        await DeploySucceedsAsync(AppVariant.MemoryEater);
        var live = $"app:{AppName}:live";
        await CheckReachesAsync(live, CheckStatus.Ok, TimeSpan.FromSeconds(10));

        await File.WriteAllTextAsync(trigger.Combine(Path.GetFileName(AppImageRecipe.EatMemoryTrigger)), "", Token);

        var failing = await Eventually.ValueAsync(
            _ => CheckAsync(live),
            check => check is { Status: CheckStatus.Failing } && check.Message.Contains(OutOfMemory, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            last => $"check {live} to fail saying '{OutOfMemory}'; last: {last?.Status} {last?.Message}{Environment.NewLine}{AgentLogTail(30)}",
            Token);
        Output.WriteLine(failing!.Message);

        var incidents = await Eventually.ValueAsync(
            _ => IncidentsAsync(),
            rows => rows.Count > 0,
            TimeSpan.FromSeconds(20),
            rows => $"an incident; got {string.Join("; ", rows ?? [])}{Environment.NewLine}{AgentLogTail(30)}",
            Token);
        // The incident names the failure that opened it: a probe may see the port closed a moment before Docker
        // records the kill, so its reason is printed rather than asserted; the check and auto-heal must say it.
        Output.WriteLine($"incident: {Assert.Single(incidents)}");

        // No standby, so auto-heal restarts the live container; the trigger is still there, so it is killed again.
        var restartDidNotHelp = "was restarted but is still unhealthy";
        await Eventually.TrueAsync(
            _ => Task.FromResult(Agent.Output.Text.Split('\n').Any(line =>
                line.Contains(restartDidNotHelp, StringComparison.Ordinal) && line.Contains(OutOfMemory, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(40),
            () => $"auto-heal to log '{restartDidNotHelp}: …{OutOfMemory}'{Environment.NewLine}{AgentLogTail(30)}",
            Token);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        trigger.Dispose();
    }
}
