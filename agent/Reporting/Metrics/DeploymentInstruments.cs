using System.Diagnostics.Metrics;
using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Reporting.Metrics;

/// <summary>
/// What deploys and rollbacks record: how they ended (a counter by app, kind and outcome), how long each step took,
/// and how long rollbacks took. The journal tells it, since every step and every end passes through the journal.
/// </summary>
public sealed class DeploymentInstruments : IDeploymentObserver
{
    private readonly Counter<long> finished;
    private readonly Histogram<double> stepDuration;
    private readonly Histogram<double> rollbackDuration;

    public DeploymentInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(AgentMeter.Name);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentMeter.StepBuckets };
        finished = meter.CreateCounter<long>(
            "mizan.deploys",
            unit: null,
            description: "Deploys and rollbacks that ended, by app, kind (deploy, rollback) and outcome (succeeded, failed, rolled_back, interrupted).");
        stepDuration = meter.CreateHistogram(
            "mizan.deploy.step.duration",
            "s",
            "How long each deploy or rollback step took, by app, kind, step and status (succeeded, failed).",
            tags: null,
            advice);
        rollbackDuration = meter.CreateHistogram(
            "mizan.rollback.duration",
            "s",
            "How long a rollback took from request to its end, by app and outcome.",
            tags: null,
            advice);
    }

    public void StepFinished(DeploymentRecord deployment, DeploymentStep finishedStep, StepStatus status, TimeSpan duration) =>
        stepDuration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>("app", deployment.App),
            new KeyValuePair<string, object?>("kind", KindName(deployment.Kind)),
            new KeyValuePair<string, object?>("step", StepName(finishedStep)),
            new KeyValuePair<string, object?>("status", status == StepStatus.Succeeded ? "succeeded" : "failed"));

    public void DeploymentFinished(DeploymentRecord deployment)
    {
        var outcome = OutcomeName(deployment.State);
        finished.Add(
            1,
            new KeyValuePair<string, object?>("app", deployment.App),
            new KeyValuePair<string, object?>("kind", KindName(deployment.Kind)),
            new KeyValuePair<string, object?>("outcome", outcome));
        if (deployment.Kind == DeploymentKind.Rollback && deployment.EndedAt is { } ended)
        {
            rollbackDuration.Record(
                (ended - deployment.StartedAt).TotalSeconds,
                new KeyValuePair<string, object?>("app", deployment.App),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static string KindName(DeploymentKind kind) => kind == DeploymentKind.Rollback ? "rollback" : "deploy";

    private static string StepName(DeploymentStep step) => step == DeploymentStep.SwitchBack ? "switch_back" : step.ToString().ToLowerInvariant();

    private static string OutcomeName(DeploymentState state) => state switch
    {
        DeploymentState.Succeeded => "succeeded",
        DeploymentState.RolledBack => "rolled_back",
        DeploymentState.Interrupted => "interrupted",
        DeploymentState.Running => "running",
        _ => "failed",
    };
}
