namespace Mizan.Agent.Deployments.History;

/// <summary>
/// Hears every step and every deployment the journal ends, as it ends them, so metrics never miss one (the event bus
/// may drop events for a slow subscriber). Called on the deploy's own path: be quick and do not throw.
/// </summary>
public interface IDeploymentObserver
{
    void StepFinished(DeploymentRecord deployment, DeploymentStep finishedStep, StepStatus status, TimeSpan duration);

    void DeploymentFinished(DeploymentRecord deployment);
}
