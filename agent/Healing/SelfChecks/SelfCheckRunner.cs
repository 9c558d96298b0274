using System.Diagnostics;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>
/// One round of every check, all at once, each under its own deadline so a hung Docker call cannot hold up the nginx
/// check. Results go to the store (last N per check); a change of status is logged at warning or above and published
/// (CheckFailing / CheckRecovered); the live-slot results then go to the app's gRPC health and to auto-heal.
/// </summary>
public sealed partial class SelfCheckRunner(
    AgentChecks agentChecks,
    AppChecks appChecks,
    AppCatalog apps,
    CheckResultStore store,
    AgentEvents events,
    IEnumerable<ICheckObserver> observers,
    AppServingStatus serving,
    AutoHealer healer,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<SelfCheckRunner> logger)
{
    /// <summary>A check's deadline: its interval, but at least 5 s (a busy engine is not a dead one) and at most 30 s.</summary>
    public static TimeSpan DeadlineFor(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Clamp(interval.Ticks, TimeSpan.FromSeconds(5).Ticks, TimeSpan.FromSeconds(30).Ticks));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var planned = new List<PlannedCheck>(agentChecks.Plan());
        var lives = new Dictionary<string, Slot?>(StringComparer.Ordinal);
        foreach (var app in apps.Names)
        {
            var (live, checks) = await appChecks.PlanAsync(app, cancellationToken);
            lives[app] = live;
            planned.AddRange(checks);
        }

        var deadline = DeadlineFor(options.Value.Checks.Interval);
        var results = await Task.WhenAll(planned.Select(check => RunOneAsync(check, deadline, cancellationToken)));
        foreach (var result in results)
        {
            Record(result);
        }

        foreach (var (app, live) in lives)
        {
            var liveCheck = store.Get(CheckNames.Live(app));
            serving.Publish(app, live, liveCheck);
            healer.Observe(new HealObservation(app, live, liveCheck));
        }
    }

    private async Task<CheckResult> RunOneAsync(PlannedCheck check, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(deadline);
        CheckOutcome outcome;
        try
        {
            outcome = await check.Run(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = CheckOutcome.Failing($"no answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = CheckOutcome.Failing(ex.Message);
        }

        return new CheckResult(check.Name, check.App, outcome.Status, outcome.Message, at, Stopwatch.GetElapsedTime(started));
    }

    private void Record(CheckResult result)
    {
        var recorded = store.Record(result);
        foreach (var observer in observers)
        {
            observer.CheckRecorded(result);
        }

        if (!recorded.Changed)
        {
            if (result.Status == CheckStatus.Ok)
            {
                LogOk(logger, result.Name, result.Message, result.Duration.TotalMilliseconds);
            }
            else
            {
                LogStill(logger, result.Name, result.Status, recorded.State.ConsecutiveFailures, result.Message);
            }

            return;
        }

        var previous = recorded.Previous?.ToString() ?? "unknown";
        switch (result.Status)
        {
            case CheckStatus.Failing:
                LogNowFailing(logger, result.Name, previous, result.Message);
                events.Publish(new AgentEvent(
                    AgentEventKind.CheckFailing,
                    result.At,
                    result.App,
                    $"Check {result.Name} is failing: {result.Message}",
                    null,
                    Details(result, previous)));
                break;
            case CheckStatus.Warning:
                LogNowWarning(logger, result.Name, previous, result.Message);
                break;
            case CheckStatus.Ok when recorded.Previous is null:
                LogFirstOk(logger, result.Name, result.Message);
                break;
            default:
                LogRecovered(logger, result.Name, previous, result.Message);
                if (recorded.Previous == CheckStatus.Failing)
                {
                    events.Publish(new AgentEvent(
                        AgentEventKind.CheckRecovered,
                        result.At,
                        result.App,
                        $"Check {result.Name} recovered: {result.Message}",
                        null,
                        Details(result, previous)));
                }

                break;
        }
    }

    private static Dictionary<string, string> Details(CheckResult result, string previous) => new(StringComparer.Ordinal)
    {
        ["check"] = result.Name,
        ["status"] = result.Status.ToString(),
        ["previous_status"] = previous,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Check {Check} ok: {Message} ({DurationMs:0} ms)")]
    private static partial void LogOk(ILogger logger, string check, string message, double durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Check {Check} still {Status} ({ConsecutiveFailures} failures in a row): {Message}")]
    private static partial void LogStill(ILogger logger, string check, CheckStatus status, int consecutiveFailures, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Check {Check} ok: {Message}")]
    private static partial void LogFirstOk(ILogger logger, string check, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Check {Check} is now failing (was {PreviousStatus}): {Message}")]
    private static partial void LogNowFailing(ILogger logger, string check, string previousStatus, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Check} is now a warning (was {PreviousStatus}): {Message}")]
    private static partial void LogNowWarning(ILogger logger, string check, string previousStatus, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Check} recovered (was {PreviousStatus}): {Message}")]
    private static partial void LogRecovered(ILogger logger, string check, string previousStatus, string message);
}
