using Mizan.Agent.V1;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Every event a Deploy / Rollback / WatchDeployment stream gave, and the result its last event carried.</summary>
public sealed record DeployOutcome(IReadOnlyList<DeploymentEvent> Events)
{
    /// <summary>The result of the last event; null when the stream ended without one (itself a failure).</summary>
    public Deployment? Result => Events.Count > 0 ? Events[^1].Result : null;

    public string DeploymentId => Events.Count > 0 ? Events[0].DeploymentId : "";

    public DeploymentState State => Result?.State ?? DeploymentState.Unspecified;

    public IEnumerable<DeploymentEvent> Of(Step step) => Events.Where(e => e.Step == step);

    public bool Has(Step step, StepStatus status) => Events.Any(e => e.Step == step && e.Status == status);

    public DeploymentEvent OnlyEvent(Step step, StepStatus status) =>
        Events.SingleOrDefault(e => e.Step == step && e.Status == status)
        ?? throw new InvalidOperationException($"Expected exactly one {step} {status} event:{Environment.NewLine}{this}");

    /// <summary>The step that failed first, or Unspecified.</summary>
    public Step FirstFailedStep => Events.FirstOrDefault(e => e.Status == StepStatus.Failed)?.Step ?? Step.Unspecified;

    public override string ToString() =>
        $"deployment {DeploymentId} ended {State} ({Result?.Message}):{Environment.NewLine}" +
        string.Join(Environment.NewLine, Events.Select(Describe));

    private static string Describe(DeploymentEvent e) =>
        $"  #{e.Sequence} {e.Step} {e.Status} '{e.Message}'" +
        (e.Details.Count == 0 ? "" : " {" + string.Join(", ", e.Details.Select(d => $"{d.Key}={Shorten(d.Value)}")) + "}") +
        (e.Result is null ? "" : $" => {e.Result.State} {e.Result.FromSlot}->{e.Result.ToSlot}");

    private static string Shorten(string value)
    {
        var oneLine = value.ReplaceLineEndings(" | ");
        return oneLine.Length <= 200 ? oneLine : oneLine[..200] + "...";
    }
}
