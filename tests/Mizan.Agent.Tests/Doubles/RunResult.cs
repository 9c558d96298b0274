using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>How a deploy or rollback ended, as the store recorded it.</summary>
public sealed record RunResult(DeploymentRecord Record, IReadOnlyList<DeploymentEventRecord> Events)
{
    public DeploymentState State => Record.State;

    public string Message => Record.Message ?? "";

    /// <summary>How each step ended, in order, as "Step Status": "Pull Failed", "Done Failed".</summary>
    public IReadOnlyList<string> Steps => [.. Events.Where(e => e.Status != StepStatus.Started).Select(e => $"{e.Step} {e.Status}")];

    /// <summary>The recorded end of <paramref name="step"/> (its last one, when it ran twice).</summary>
    public DeploymentEventRecord EndOf(DeploymentStep step) => Events.Last(e => e.Step == step && e.Status != StepStatus.Started);
}
