using Mizan.Agent.Healing.SelfChecks;

namespace Mizan.Agent.Healing;

/// <summary>What the latest check of an app's live slot calls for.</summary>
/// <param name="HasLive">False for an app never switched live: nothing to heal, no incident.</param>
/// <param name="ConsecutiveFailures">Failing live checks in a row: confirms an incident.</param>
/// <param name="FailuresSinceLastAction">The same, counting only checks made after auto-heal last acted.</param>
/// <param name="LockHolder">Who holds the app's lock (a deploy, a rollback, a primitive step), or null.</param>
public sealed record HealInput(
    bool HasLive,
    CheckStatus LiveStatus,
    int ConsecutiveFailures,
    int FailuresSinceLastAction,
    int FailuresBeforeAction,
    bool AutoHealEnabled,
    bool IncidentOpen,
    string? LockHolder);

public enum HealAction
{
    None,

    /// <summary>Auto-heal would act, but a deploy (or another change) holds the app: it waits for the next check after it ends.</summary>
    WaitForLock,

    Heal,
}

public enum HealRemedy
{
    /// <summary>Send traffic to the standby slot: the fastest way back, the standby is running and answers.</summary>
    SwitchToStandby,

    /// <summary>No usable standby: restart the live slot's container.</summary>
    RestartLive,

    /// <summary>No usable standby and no container in the live slot: only a deploy can help.</summary>
    Nothing,
}

public sealed record HealPlan(bool OpenIncident, bool CloseIncident, HealAction Action, string Reason);

/// <summary>
/// The auto-heal rules, with no I/O: an incident opens once the live slot has failed FailuresBeforeAction checks in a
/// row (dated from the first failure) and closes at the first good check; auto-heal acts after the same number of
/// failures since it last acted, never while someone else holds the app.
/// </summary>
public static class HealDecision
{
    public static HealPlan Decide(HealInput input)
    {
        if (!input.HasLive)
        {
            return new HealPlan(false, false, HealAction.None, "the app was never switched live");
        }

        if (input.LiveStatus != CheckStatus.Failing)
        {
            return new HealPlan(false, input.IncidentOpen, HealAction.None, "the live slot answers");
        }

        var threshold = Math.Max(1, input.FailuresBeforeAction);
        var confirmed = input.ConsecutiveFailures >= threshold;
        var open = confirmed && !input.IncidentOpen;
        if (!input.AutoHealEnabled)
        {
            return new HealPlan(open, false, HealAction.None, "auto-heal is off for this app");
        }

        if (input.FailuresSinceLastAction < threshold)
        {
            return new HealPlan(open, false, HealAction.None, $"{input.FailuresSinceLastAction} of {threshold} failed checks before acting");
        }

        return input.LockHolder is { } holder
            ? new HealPlan(open, false, HealAction.WaitForLock, $"waits for {holder}")
            : new HealPlan(open, false, HealAction.Heal, $"the live slot failed {input.FailuresSinceLastAction} checks in a row");
    }

    /// <param name="standbyUsable">The standby slot's container runs, answers its health check, and holds a release that served successfully.</param>
    public static HealRemedy ChooseRemedy(bool standbyUsable, bool liveContainerExists) =>
        standbyUsable ? HealRemedy.SwitchToStandby
        : liveContainerExists ? HealRemedy.RestartLive
        : HealRemedy.Nothing;

    /// <summary>Failing results in a row at the end of <paramref name="history"/> (oldest first), counting only those after <paramref name="after"/>.</summary>
    public static int TrailingFailures(IReadOnlyList<CheckResult> history, DateTimeOffset? after)
    {
        var count = 0;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var result = history[i];
            if (result.Status != CheckStatus.Failing || (after is { } since && result.At <= since))
            {
                break;
            }

            count++;
        }

        return count;
    }
}
