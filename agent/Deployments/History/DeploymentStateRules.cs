namespace Mizan.Agent.Deployments.History;

/// <summary>The deploy state machine's rules, kept pure so they are tested on their own.</summary>
public static class DeploymentStateRules
{
    private static readonly DeploymentStep[] DeploySteps =
        [
            DeploymentStep.Validate,
            DeploymentStep.Pull,
            DeploymentStep.Start,
            DeploymentStep.Check,
            DeploymentStep.Switch,
            DeploymentStep.Verify,
            DeploymentStep.Standby,
            DeploymentStep.Done
        ];

    public static IReadOnlyList<DeploymentStep> DeployOrder => DeploySteps;

    /// <summary>Only a running deployment ends, and it ends once.</summary>
    public static bool CanTransition(DeploymentState from, DeploymentState to) =>
        from == DeploymentState.Running && to != DeploymentState.Running;

    /// <summary>
    /// What a failure at a step means for live traffic: before traffic moved it is a plain failure (live untouched);
    /// once traffic moved, the deploy either went back (rolled back) or could not (failed, and the message says where traffic is).
    /// </summary>
    public static DeploymentState OutcomeOfFailure(DeploymentStep failedStep, bool trafficMoved, bool switchedBack) =>
        trafficMoved && failedStep is DeploymentStep.Verify or DeploymentStep.Standby && switchedBack
            ? DeploymentState.RolledBack
            : DeploymentState.Failed;
}
