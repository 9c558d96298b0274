using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>Short lowercase names for the proto enums, as printed in text output.</summary>
public static class DisplayNames
{
    public static string Of(Step step) => step switch
    {
        Step.Validate => "validate",
        Step.Pull => "pull",
        Step.Start => "start",
        Step.Check => "check",
        Step.Switch => "switch",
        Step.Verify => "verify",
        Step.Standby => "standby",
        Step.SwitchBack => "switch-back",
        Step.Done => "done",
        _ => "unknown",
    };

    public static string Of(StepStatus status) => status switch
    {
        StepStatus.Started => "started",
        StepStatus.Succeeded => "succeeded",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        _ => "unknown",
    };

    public static string Of(DeploymentState state) => state switch
    {
        DeploymentState.Running => "running",
        DeploymentState.Succeeded => "succeeded",
        DeploymentState.Failed => "failed",
        DeploymentState.RolledBack => "rolled back",
        DeploymentState.Interrupted => "interrupted",
        _ => "unknown",
    };

    /// <summary>The machine-friendly state name, as written to GITHUB_OUTPUT.</summary>
    public static string Token(DeploymentState state) => state switch
    {
        DeploymentState.Running => "running",
        DeploymentState.Succeeded => "succeeded",
        DeploymentState.Failed => "failed",
        DeploymentState.RolledBack => "rolled_back",
        DeploymentState.Interrupted => "interrupted",
        _ => "unknown",
    };

    public static string Of(DeploymentKind kind) => kind switch
    {
        DeploymentKind.Deploy => "deploy",
        DeploymentKind.Rollback => "rollback",
        _ => "unknown",
    };

    /// <summary>
    /// Who asked for a deployment: what the client said and who the agent authenticated ("github:org/repo#42 via
    /// ci-github (thumbprint ab12…)"), either alone when the other is empty, "-" when both are.
    /// </summary>
    public static string RequesterOf(Deployment deployment) => (deployment.RequestedBy, deployment.Caller) switch
    {
        ("", "") => "-",
        ("", var caller) => caller,
        (var claim, "") => claim,
        (var claim, var caller) => $"{claim} via {caller}",
    };
}
