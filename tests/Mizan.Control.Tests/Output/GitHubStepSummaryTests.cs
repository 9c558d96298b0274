using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class GitHubStepSummaryTests
{
    [Fact]
    public void StepRows_StartedThenEnded_OneRowWithDuration()
    {
        DeploymentEvent[] events =
        [
            TestData.Event(Step.Pull, StepStatus.Started, "pulling v2", 0),
            TestData.Event(Step.Pull, StepStatus.Succeeded, "pulled v2", 2.5),
            TestData.Event(Step.Check, StepStatus.Started, "checking green", 3),
            TestData.Event(Step.Done, StepStatus.Succeeded, "done", 4),
        ];

        var rows = GitHubStepSummary.StepRows(events);

        Assert.Equal([("pull", "succeeded", "2.5s", "pulled v2"), ("check", "started", "-", "checking green")], rows);
    }

    [Fact]
    public void StepRows_DurationDetail_PreferredOverTimestamps()
    {
        var ended = TestData.Event(Step.Switch, StepStatus.Succeeded, "live on green", 9);
        ended.Details["duration_ms"] = "120";

        var row = Assert.Single(GitHubStepSummary.StepRows([TestData.Event(Step.Switch, StepStatus.Started, "", 0), ended]));

        Assert.Equal("120ms", row.Duration);
    }

    [Fact]
    public void Build_WithResult_HasTableAndResult()
    {
        DeploymentEvent[] events =
        [
            TestData.Event(Step.Check, StepStatus.Started, "checking", 0),
            TestData.Event(Step.Check, StepStatus.Failed, "HTTP 502 | body\nline 2", 1),
        ];

        var markdown = GitHubStepSummary.Build("mizanctl deploy web: failed", events, TestData.Deployment(DeploymentState.Failed, "check failed"), null);

        Assert.Contains("### mizanctl deploy web: failed\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Step | Status | Duration | Message |\n| --- | --- | --- | --- |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| check | failed | 1.0s | HTTP 502 \\| body<br>line 2 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**Result: failed**", markdown, StringComparison.Ordinal);
        Assert.Contains("live traffic was not touched", markdown, StringComparison.Ordinal);
        Assert.Contains("| `d-42` | web | blue | `registry.example/web:v2` | `sha256:abc` | 12.5s |", markdown, StringComparison.Ordinal);
        Assert.Contains("check failed", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutResult_SaysHowToReattach()
    {
        var markdown = GitHubStepSummary.Build(
            "t", [TestData.Event(Step.Pull, StepStatus.Started, "pulling")], null, "the connection to the agent was lost");

        Assert.Contains("**Result: unknown**", markdown, StringComparison.Ordinal);
        Assert.Contains("`mizanctl watch d-42`", markdown, StringComparison.Ordinal);
    }
}
