using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Tests.Deployments.History;

public class DeploymentStateRulesTests
{
    [Theory]
    [InlineData(DeploymentStep.Pull)]
    [InlineData(DeploymentStep.Start)]
    [InlineData(DeploymentStep.Check)]
    [InlineData(DeploymentStep.Switch)]
    public void OutcomeOfFailure_BeforeTrafficMoved_IsFailed(DeploymentStep step)
    {
        Assert.Equal(DeploymentState.Failed, DeploymentStateRules.OutcomeOfFailure(step, trafficMoved: false, switchedBack: false));
    }

    [Fact]
    public void OutcomeOfFailure_VerifyFailedAndSwitchedBack_IsRolledBack()
    {
        Assert.Equal(DeploymentState.RolledBack, DeploymentStateRules.OutcomeOfFailure(DeploymentStep.Verify, trafficMoved: true, switchedBack: true));
    }

    [Fact]
    public void OutcomeOfFailure_VerifyFailedAndSwitchBackFailed_IsFailed()
    {
        Assert.Equal(DeploymentState.Failed, DeploymentStateRules.OutcomeOfFailure(DeploymentStep.Verify, trafficMoved: true, switchedBack: false));
    }

    [Theory]
    [InlineData(DeploymentState.Running, DeploymentState.Succeeded, true)]
    [InlineData(DeploymentState.Running, DeploymentState.Interrupted, true)]
    [InlineData(DeploymentState.Running, DeploymentState.Running, false)]
    [InlineData(DeploymentState.Succeeded, DeploymentState.Failed, false)]
    [InlineData(DeploymentState.Interrupted, DeploymentState.Succeeded, false)]
    public void CanTransition_OnlyRunningEndsOnce(DeploymentState from, DeploymentState to, bool allowed)
    {
        Assert.Equal(allowed, DeploymentStateRules.CanTransition(from, to));
    }

    [Fact]
    public void DeployOrder_SwitchComesAfterCheckAndBeforeVerify()
    {
        var order = DeploymentStateRules.DeployOrder.ToList();

        Assert.True(order.IndexOf(DeploymentStep.Check) < order.IndexOf(DeploymentStep.Switch));
        Assert.True(order.IndexOf(DeploymentStep.Switch) < order.IndexOf(DeploymentStep.Verify));
        Assert.Equal(DeploymentStep.Done, order[^1]);
    }
}
