using Mizan.Agent.Healing;
using Mizan.Agent.Healing.SelfChecks;

namespace Mizan.Agent.Tests.Healing;

public class HealDecisionTests
{
    private static HealInput Failing(int failures, int sinceAction = -1, bool incidentOpen = false, string? holder = null, bool enabled = true) =>
        new(true, CheckStatus.Failing, failures, sinceAction < 0 ? failures : sinceAction, 3, enabled, incidentOpen, holder);

    [Fact]
    public void Decide_NeverLive_DoesNothingAndOpensNoIncident()
    {
        var plan = HealDecision.Decide(new HealInput(false, CheckStatus.Failing, 10, 10, 3, true, false, null));

        Assert.Equal(new HealPlan(false, false, HealAction.None, "the app was never switched live"), plan);
    }

    [Fact]
    public void Decide_FewerFailuresThanTheThreshold_WaitsWithoutIncident()
    {
        var plan = HealDecision.Decide(Failing(2));

        Assert.False(plan.OpenIncident);
        Assert.Equal(HealAction.None, plan.Action);
        Assert.Equal("2 of 3 failed checks before acting", plan.Reason);
    }

    [Fact]
    public void Decide_ThresholdReached_OpensTheIncidentAndHeals()
    {
        var plan = HealDecision.Decide(Failing(3));

        Assert.True(plan.OpenIncident);
        Assert.Equal(HealAction.Heal, plan.Action);
    }

    [Fact]
    public void Decide_IncidentAlreadyOpen_DoesNotOpenAnother()
    {
        Assert.False(HealDecision.Decide(Failing(5, incidentOpen: true)).OpenIncident);
    }

    [Fact]
    public void Decide_DeployHoldsTheApp_WaitsForIt()
    {
        var plan = HealDecision.Decide(Failing(4, holder: "deploy of web:v2 (d-1)"));

        Assert.True(plan.OpenIncident);
        Assert.Equal(HealAction.WaitForLock, plan.Action);
        Assert.Equal("waits for deploy of web:v2 (d-1)", plan.Reason);
    }

    [Fact]
    public void Decide_AutoHealOff_OpensTheIncidentButNeverActs()
    {
        var plan = HealDecision.Decide(Failing(9, enabled: false));

        Assert.True(plan.OpenIncident);
        Assert.Equal(HealAction.None, plan.Action);
    }

    [Fact]
    public void Decide_JustActed_WaitsForFreshFailuresBeforeActingAgain()
    {
        Assert.Equal(HealAction.None, HealDecision.Decide(Failing(7, sinceAction: 1, incidentOpen: true)).Action);
        Assert.Equal(HealAction.Heal, HealDecision.Decide(Failing(9, sinceAction: 3, incidentOpen: true)).Action);
    }

    [Theory]
    [InlineData(CheckStatus.Ok)]
    [InlineData(CheckStatus.Warning)]
    public void Decide_LiveAnswersAgain_ClosesTheOpenIncident(CheckStatus status)
    {
        var plan = HealDecision.Decide(new HealInput(true, status, 0, 0, 3, true, true, null));

        Assert.True(plan.CloseIncident);
        Assert.Equal(HealAction.None, plan.Action);
    }

    [Fact]
    public void Decide_LiveAnswersWithNoIncident_ClosesNothing()
    {
        Assert.False(HealDecision.Decide(new HealInput(true, CheckStatus.Ok, 0, 0, 3, true, false, null)).CloseIncident);
    }

    [Theory]
    [InlineData(true, true, HealRemedy.SwitchToStandby)]
    [InlineData(true, false, HealRemedy.SwitchToStandby)]
    [InlineData(false, true, HealRemedy.RestartLive)]
    [InlineData(false, false, HealRemedy.Nothing)]
    public void ChooseRemedy_PrefersAHealthyStandby(bool standbyUsable, bool liveContainerExists, HealRemedy expected)
    {
        Assert.Equal(expected, HealDecision.ChooseRemedy(standbyUsable, liveContainerExists));
    }

    [Fact]
    public void TrailingFailures_CountsOnlyFailuresAfterTheAction()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        CheckResult At(int second, CheckStatus status) => new("app:web:live", "web", status, "", start.AddSeconds(second), TimeSpan.Zero);
        var history = new[]
        {
            At(0, CheckStatus.Ok), At(1, CheckStatus.Failing), At(2, CheckStatus.Failing), At(3, CheckStatus.Failing), At(4, CheckStatus.Failing)
        };

        Assert.Equal(4, HealDecision.TrailingFailures(history, null));
        Assert.Equal(2, HealDecision.TrailingFailures(history, start.AddSeconds(2)));
        Assert.Equal(0, HealDecision.TrailingFailures([.. history, At(5, CheckStatus.Ok)], null));
    }
}
