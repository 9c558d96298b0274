using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Probes;

namespace Mizan.Agent.Runtime.Traffic;

public sealed record VerifyResult(bool Passed, string Message);

/// <summary>
/// After a switch, asks nginx itself until the new slot has answered N times in a row. A reload returns before
/// the new workers serve, so answers still coming from the old slot (by X-Mizan-Upstream) are waited out, not counted.
/// </summary>
public sealed class TrafficVerifier(HttpProbe probe, ITrafficRouter router, TimeProvider time)
{
    private static readonly TimeSpan StaleAnswerRetry = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// After a switch back: waits until nginx routes to the expected slot again, whatever that slot answers, so the
    /// slot being left is not stopped while nginx's old workers still send it requests.
    /// </summary>
    public async Task<VerifyResult> WaitUntilRoutedAsync(string app, VerifyOptions verify, Slot expected, CancellationToken cancellationToken)
    {
        if (verify.Url.Length == 0)
        {
            return new VerifyResult(true, "no Verify:Url configured; routing not confirmed");
        }

        var url = new Uri(verify.Url);
        var attribution = await router.GetAttributionAsync(app, cancellationToken);
        var deadline = time.GetUtcNow() + verify.Timeout;
        ProbeResult? last = null;

        // After a reload several workers answer, and an old one may still take a connection: one answer is not enough,
        // and the answers keep Verify:Interval apart, as the verify's do, so they span the old workers' last ones.
        // Behind redirects a move is atomic and every request a new upstream connection: the first answer is the truth.
        var needed = router.Mode == TrafficMode.Redirect ? 1 : Math.Max(3, verify.SuccessesNeeded);
        var routed = 0;
        while (time.GetUtcNow() < deadline)
        {
            last = await probe.GetAsync(url, verify.Timeout, cancellationToken);
            routed = (last.ServedBy is { } servedBy ? attribution.SlotOf(servedBy) == expected : last.StatusCode > 0) ? routed + 1 : 0;
            if (routed >= needed)
            {
                return new VerifyResult(true, $"nginx routes {url} to slot {expected.Name()}");
            }

            await Task.Delay(routed > 0 ? verify.Interval : StaleAnswerRetry, time, cancellationToken);
        }

        return new VerifyResult(
            false,
            $"nginx did not route {url} to slot {expected.Name()} within {verify.Timeout.TotalSeconds:0.#} s; last: {last?.Describe() ?? "no answer"}");
    }

    public async Task<VerifyResult> VerifyAsync(string app, VerifyOptions verify, Slot expected, CancellationToken cancellationToken)
    {
        if (verify.Url.Length == 0)
        {
            return new VerifyResult(true, "no Verify:Url configured; skipped");
        }

        var url = new Uri(verify.Url);
        var attribution = await router.GetAttributionAsync(app, cancellationToken);
        var deadline = time.GetUtcNow() + verify.Timeout;
        int successes = 0, failures = 0;
        var pacing = new ProbePacing(verify.Interval);
        ProbeResult? last = null;
        while (time.GetUtcNow() < deadline)
        {
            last = await probe.GetAsync(url, verify.Timeout, cancellationToken);
            var fromNewSlot = attribution.IsFrom(last.ServedBy, expected);
            if (fromNewSlot)
            {
                successes = last.Success ? successes + 1 : 0;
                failures = last.Success ? 0 : failures + 1;
            }

            if (successes >= verify.SuccessesNeeded)
            {
                return new VerifyResult(true, $"{url} answered {successes} times in a row from slot {expected.Name()}");
            }

            if (failures >= verify.SuccessesNeeded)
            {
                return new VerifyResult(false, $"{url} through nginx failed {failures} times in a row from slot {expected.Name()}: {last.Describe()}");
            }

            // nginx's old workers answer for a moment after a reload; look again soon rather than a whole interval later.
            // After a reload the successes keep Verify:Interval apart, so they span the old workers' last answers. Behind
            // redirects there is nothing to outlast: the next success follows at once, and nginx's round robin sends it
            // through the next front port, so each success also proves another of the app's redirects.
            var wait = !fromNewSlot ? StaleAnswerRetry
                : router.Mode == TrafficMode.Reload ? verify.Interval
                : last.Success ? TimeSpan.Zero : pacing.AfterFailure();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        return new VerifyResult(
            false,
            $"{url} through nginx did not answer from slot {expected.Name()} within {verify.Timeout.TotalSeconds:0.#} s; " +
                $"last: {last?.Describe() ?? "no answer"}{(last?.ServedBy is { } servedBy ? $" from {servedBy}" : "")}");
    }
}
