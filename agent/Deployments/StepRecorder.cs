using System.Globalization;
using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Deployments;

/// <summary>A step failed; carries what the journal already recorded so the run can decide what traffic needs.</summary>
public sealed class StepFailedException(DeploymentStep step, string message) : Exception(message)
{
    public DeploymentStep Step { get; } = step;
}

/// <summary>Wraps a step so its start, end, duration and outcome are recorded the same way for every step.</summary>
public sealed class StepRecorder(DeploymentJournal journal, TimeProvider time, string deploymentId)
{
    public async Task<T> RunAsync<T>(
        DeploymentStep step,
        string starting,
        Func<Dictionary<string, string>, Task<(T Value, string Message)>> body,
        CancellationToken cancellationToken)
    {
        await journal.RecordAsync(deploymentId, step, StepStatus.Started, starting, null, cancellationToken);
        var began = time.GetTimestamp();
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var (value, message) = await body(details);
            details["duration_ms"] = Milliseconds(began);
            journal.ObserveStep(deploymentId, step, StepStatus.Succeeded, time.GetElapsedTime(began));
            await journal.RecordAsync(deploymentId, step, StepStatus.Succeeded, message, details, cancellationToken);
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            details["duration_ms"] = Milliseconds(began);
            journal.ObserveStep(deploymentId, step, StepStatus.Failed, time.GetElapsedTime(began));
            await journal.RecordAsync(deploymentId, step, StepStatus.Failed, ex.Message, details, CancellationToken.None);
            throw ex as StepFailedException ?? new StepFailedException(step, ex.Message);
        }
    }

    public Task RunAsync(DeploymentStep step, string starting, Func<Dictionary<string, string>, Task<string>> body, CancellationToken cancellationToken) =>
        RunAsync<bool>(step, starting, async details => (true, await body(details)), cancellationToken);

    public Task SkipAsync(DeploymentStep step, string why, CancellationToken cancellationToken) =>
        journal.RecordAsync(deploymentId, step, StepStatus.Skipped, why, null, cancellationToken);

    private string Milliseconds(long began) =>
        time.GetElapsedTime(began).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
