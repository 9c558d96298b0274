using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Probes;

namespace Mizan.Agent.Deployments;

public sealed record HealthGateResult(bool Healthy, string Message, int LastStatusCode, string LogTail);

/// <summary>
/// Decides whether a freshly started slot may take traffic: N consecutive HTTP successes, the image's own
/// HEALTHCHECK when it has one, and an immediate failure when the container exits instead of waiting out the time-out.
/// </summary>
public sealed class SlotHealthGate(IContainerRuntime containers, HttpProbe probe, TimeProvider time)
{
    private const int LogTailLines = 20;

    /// <param name="countRestartsAsFailure">See <see cref="ContainerFailure.Describe"/>; false for the self-checks and auto-heal.</param>
    public async Task<HealthGateResult> WaitHealthyAsync(
        string containerId,
        int port,
        HealthCheckOptions health,
        CancellationToken cancellationToken,
        bool countRestartsAsFailure = true)
    {
        var url = new Uri($"http://127.0.0.1:{port}{health.Path}");
        var deadline = time.GetUtcNow() + health.StartTimeout;
        var consecutive = 0;
        var pacing = new ProbePacing(health.Interval);
        ProbeResult? last = null;
        while (true)
        {
            // The engine's view and the probe are asked together: a deploy waits for both on every round.
            var inspecting = containers.InspectStateAsync(containerId, cancellationToken);
            var probing = probe.GetAsync(url, health.Timeout, cancellationToken);
            await Task.WhenAll(inspecting, probing);
            var state = await inspecting;
            var answer = await probing;
            if (await ContainerFailure.DescribeSettledAsync(containers, containerId, state, countRestartsAsFailure, time, cancellationToken) is { } failure)
            {
                return await FailAsync(containerId, failure, last, cancellationToken);
            }

            last = answer;
            var dockerHealthy = state!.HealthStatus is null or "healthy";
            consecutive = last.Success && dockerHealthy ? consecutive + 1 : 0;
            if (consecutive >= health.SuccessesNeeded)
            {
                return new HealthGateResult(true, $"{url} answered {health.SuccessesNeeded} times in a row", last.StatusCode, "");
            }

            if (time.GetUtcNow() >= deadline)
            {
                var why = last.Success ? $"Docker HEALTHCHECK is '{state.HealthStatus}'" : $"last probe: {last.Describe()}";
                return await FailAsync(containerId, $"not healthy within {health.StartTimeout.TotalSeconds:0.#} s: {url} {why}", last, cancellationToken);
            }

            await Task.Delay(consecutive > 0 ? pacing.AfterSuccess() : pacing.AfterFailure(), time, cancellationToken);
        }
    }

    /// <summary>One probe, for a quick look at a slot that is already running (a standby before a rollback).</summary>
    public async Task<HealthGateResult> ProbeOnceAsync(
        string containerId,
        int port,
        HealthCheckOptions health,
        CancellationToken cancellationToken,
        bool countRestartsAsFailure = true)
    {
        var state = await containers.InspectStateAsync(containerId, cancellationToken);
        // Not settled: a quick look stands between a killed live container and auto-heal's move, and the self-checks
        // that take it look again at their next interval, when Docker's out-of-memory mark is there.
        if (ContainerFailure.Describe(state, countRestartsAsFailure) is { } failure)
        {
            return new HealthGateResult(false, failure, 0, "");
        }

        var url = new Uri($"http://127.0.0.1:{port}{health.Path}");
        var result = await probe.GetAsync(url, health.Timeout, cancellationToken);
        var healthy = result.Success && state!.HealthStatus is null or "healthy";
        return new HealthGateResult(healthy, healthy ? $"{url} answered" : $"{url}: {result.Describe()}", result.StatusCode, "");
    }

    private async Task<HealthGateResult> FailAsync(string containerId, string message, ProbeResult? last, CancellationToken cancellationToken)
    {
        var logs = await containers.GetLogTailAsync(containerId, LogTailLines, cancellationToken);
        return new HealthGateResult(false, message, last?.StatusCode ?? 0, logs);
    }
}
