using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class DeploymentTextRendererTests
{
    private readonly DeploymentTextRenderer renderer = new(TimeZoneInfo.Utc);

    [Fact]
    public void FormatEvent_Succeeded_OneLineWithTimeStepStatusMessage()
    {
        var deploymentEvent = TestData.Event(Step.Pull, StepStatus.Succeeded, "pulled registry.example/web:v2", 1.5);
        deploymentEvent.Details["digest"] = "sha256:abc";

        Assert.Equal("12:34:58.289  pull         succeeded  pulled registry.example/web:v2", this.renderer.FormatEvent(deploymentEvent));
    }

    [Fact]
    public void FormatEvent_SwitchBack_UsesHyphenatedStepName() =>
        Assert.StartsWith(
            "12:34:56.789  switch-back  started",
            this.renderer.FormatEvent(TestData.Event(Step.SwitchBack, StepStatus.Started, "")),
            StringComparison.Ordinal);

    [Fact]
    public void FormatEvent_Failed_IndentsDetailsWithLogTailLast()
    {
        var deploymentEvent = TestData.Event(Step.Check, StepStatus.Failed, "slot green unhealthy");
        deploymentEvent.Details["status_code"] = "502";
        deploymentEvent.Details["log_tail"] = "booting\nerror: db down\n";
        deploymentEvent.Details["slot"] = "green";

        var expected = string.Join(
            '\n',
            "12:34:56.789  check        failed     slot green unhealthy",
            "      slot: green",
            "      status_code: 502",
            "      log_tail:",
            "        booting",
            "        error: db down");
        Assert.Equal(expected, this.renderer.FormatEvent(deploymentEvent));
    }

    [Fact]
    public void FormatEvent_OtherTimeZone_ConvertsTime()
    {
        var renderer = new DeploymentTextRenderer(TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2"));

        Assert.StartsWith("14:34:56.789", renderer.FormatEvent(TestData.Event(Step.Pull, StepStatus.Started, "")), StringComparison.Ordinal);
    }

    [Fact]
    public void FormatResult_Succeeded_ListsStateIdAppSlotImageDigestDuration()
    {
        var expected = string.Join(
            '\n',
            "Deployment succeeded.",
            "  state:      succeeded",
            "  deployment: d-42",
            "  app:        web",
            "  live slot:  green",
            "  image:      registry.example/web:v2",
            "  digest:     sha256:abc",
            "  duration:   12.5s");

        Assert.Equal(expected, DeploymentTextRenderer.FormatResult(TestData.Deployment(DeploymentState.Succeeded)));
    }

    [Fact]
    public void FormatResult_RolledBack_SaysTrafficWentBackAndShowsMessage()
    {
        var text = DeploymentTextRenderer.FormatResult(TestData.Deployment(DeploymentState.RolledBack, "verify failed: HTTP 500"));

        Assert.StartsWith("Deployment ROLLED BACK: traffic was switched back to slot blue.", text, StringComparison.Ordinal);
        Assert.Contains("  live slot:  blue", text, StringComparison.Ordinal);
        Assert.Contains("  message:    verify failed: HTTP 500", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DeploymentState.Failed, "live traffic was not touched")]
    [InlineData(DeploymentState.Interrupted, "the agent stopped while it ran")]
    public void Headline_FailureStates_SayWhatHappenedToTraffic(DeploymentState state, string expected) =>
        Assert.Contains(expected, DeploymentTextRenderer.Headline(TestData.Deployment(state)), StringComparison.Ordinal);

    [Fact]
    public void Headline_Rollback_NamesRollback()
    {
        var rollback = TestData.Deployment(DeploymentState.Succeeded);
        rollback.Kind = DeploymentKind.Rollback;

        Assert.Equal("Rollback succeeded.", DeploymentTextRenderer.Headline(rollback));
    }
}
