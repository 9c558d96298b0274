using System.Text;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class NoisyCrashLeavesACleanCappedLogTail(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheLogTailKeepsTheLast8KbWithoutEscapeSequencesAndEndsWithTheLastWords()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: TimeSpan.FromSeconds(30)));

        var outcome = await DeployAsync(AppVariant.NoisyCrash);

        AssertState(outcome, DeploymentState.Failed);
        var logTail = outcome.OnlyEvent(Step.Check, StepStatus.Failed).Details.GetValueOrDefault("log_tail") ?? "";
        Assert.StartsWith("[earlier output cut]\nxxxx", logTail, StringComparison.Ordinal);
        Assert.EndsWith("x\n" + AppImageRecipe.CrashLine, logTail, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(logTail), 8 * 1024, 9 * 1024);
        Assert.DoesNotContain(logTail, c => char.IsControl(c) && c is not '\n' and not '\t');
        Assert.DoesNotContain(AppImageRecipe.NoisyCrashTitle, logTail, StringComparison.Ordinal);
    }
}
