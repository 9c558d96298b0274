using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>A deploy or rollback as the client saw it: its events, when the request went out and when the final event came.</summary>
public sealed record RecordedDeployment(IReadOnlyList<DeploymentEvent> Events, long SentTimestamp, TimeSpan ClientTotal, Deployment? Result)
{
    public bool Succeeded => Result?.State == DeploymentState.Succeeded;

    public string Outcome => Result is null
        ? "the stream ended without a final event"
        : $"{Result.Id} {Result.State}: {Result.Message}";

    /// <summary>Runs a streaming Deploy/Rollback call to its end, timing it from just before the request is sent.</summary>
    public static async Task<RecordedDeployment> RunAsync(Func<AsyncServerStreamingCall<DeploymentEvent>> start, CancellationToken cancellationToken)
    {
        var events = new List<DeploymentEvent>();
        Deployment? result = null;
        TimeSpan? total = null;
        var sent = Stopwatch.GetTimestamp();
        using var call = start();
        await foreach (var deploymentEvent in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            events.Add(deploymentEvent);
            if (deploymentEvent.Result is not null || deploymentEvent.Step == Step.Done)
            {
                total ??= Stopwatch.GetElapsedTime(sent);
                result = deploymentEvent.Result ?? result;
            }
        }

        return new RecordedDeployment(events, sent, total ?? Stopwatch.GetElapsedTime(sent), result);
    }

    /// <summary>
    /// How long a step took, in ms: its <c>duration_ms</c> detail, else the time between its started and ended events;
    /// 0 when skipped, NaN when the step never ran.
    /// </summary>
    public double StepMilliseconds(Step step)
    {
        var ended = Events.LastOrDefault(e => e.Step == step && e.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Skipped);
        if (ended is null)
        {
            return double.NaN;
        }

        if (ended.Status == StepStatus.Skipped)
        {
            return 0;
        }

        if (ended.Details.TryGetValue("duration_ms", out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return milliseconds;
        }

        var began = Events.FirstOrDefault(e => e.Step == step && e.Status == StepStatus.Started);
        return began?.At is not null && ended.At is not null
            ? (ended.At.ToDateTimeOffset() - began.At.ToDateTimeOffset()).TotalMilliseconds
            : double.NaN;
    }

    /// <summary>Like <see cref="StepMilliseconds"/>, but a step that never ran counts as 0 (for sums).</summary>
    public double StepMillisecondsOrZero(Step step) => StepMilliseconds(step) is var ms && double.IsNaN(ms) ? 0 : ms;
}
