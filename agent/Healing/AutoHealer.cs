using System.Threading.Channels;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Healing;

/// <summary>The latest check of one app's live slot, as the self-check run hands it over.</summary>
public sealed record HealObservation(string App, Slot? Live, CheckState? LiveCheck);

/// <summary>
/// Acts on the live-slot checks, one app at a time and apart from the checks (a restart can take a while; the checks
/// go on): opens and closes incidents, and when the live slot keeps failing switches to a healthy standby or restarts
/// the live container. While it acts it holds the app's lock, so a deploy cannot start under it; while a deploy
/// holds the lock it waits and acts at the next check after it.
/// </summary>
public sealed partial class AutoHealer : BackgroundService
{
    /// <summary>A failing container gets little time to finish: it is not serving anyway.</summary>
    public static readonly TimeSpan FailedContainerGrace = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, Channel<HealObservation>> mailboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppHealState> states = new(StringComparer.Ordinal);
    private readonly AppCatalog apps;
    private readonly AppLocks locks;
    private readonly ITrafficRouter router;
    private readonly TrafficMove move;
    private readonly SlotOperations slots;
    private readonly SlotHealthGate gate;
    private readonly IContainerRuntime containers;
    private readonly StandbyStore standbys;
    private readonly SlotAdmission admission;
    private readonly IncidentTracker incidents;
    private readonly OpenIncidents openIncidents;
    private readonly CheckResultStore checks;
    private readonly AgentEvents events;
    private readonly TimeProvider time;
    private readonly ILogger<AutoHealer> logger;

    public AutoHealer(
        AppCatalog apps,
        AppLocks locks,
        ITrafficRouter router,
        TrafficMove move,
        SlotOperations slots,
        SlotHealthGate gate,
        IContainerRuntime containers,
        StandbyStore standbys,
        SlotAdmission admission,
        IncidentTracker incidents,
        OpenIncidents openIncidents,
        CheckResultStore checks,
        AgentEvents events,
        TimeProvider time,
        ILogger<AutoHealer> logger)
    {
        this.apps = apps;
        this.locks = locks;
        this.router = router;
        this.move = move;
        this.slots = slots;
        this.gate = gate;
        this.containers = containers;
        this.standbys = standbys;
        this.admission = admission;
        this.incidents = incidents;
        this.openIncidents = openIncidents;
        this.checks = checks;
        this.events = events;
        this.time = time;
        this.logger = logger;
        foreach (var app in apps.Names)
        {
            // Only the newest observation matters: one measured while the app was being healed is stale.
            mailboxes[app] = Channel.CreateBounded<HealObservation>(
                new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            states[app] = new AppHealState();
        }
    }

    /// <summary>Never blocks: the check run hands the result over and goes on.</summary>
    public void Observe(HealObservation observation)
    {
        if (mailboxes.TryGetValue(observation.App, out var mailbox))
        {
            mailbox.Writer.TryWrite(observation);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Incidents left open by a previous run of the agent are still open: the first good check closes them.
        try
        {
            await incidents.LoadOpenAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not worth stopping the agent for: such an incident stays open in the database until closed by hand.
            LogHandleFailed(logger, "(open incidents at start)", ex.Message);
        }

        await Task.WhenAll(mailboxes.Select(pair => RunAppAsync(pair.Key, pair.Value.Reader, stoppingToken)));
    }

    private async Task RunAppAsync(string app, ChannelReader<HealObservation> mailbox, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var observation in mailbox.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(observation, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogHandleFailed(logger, app, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Acts on one observation, as the app's mailbox loop does; internal so a test can hand it one and await what it did.</summary>
    internal async Task HandleAsync(HealObservation observation, CancellationToken cancellationToken)
    {
        var app = observation.App;
        var state = states[app];
        if (observation.LiveCheck is not { } live)
        {
            return;
        }

        if (state.LastActionEnd is { } ended && live.Latest.At <= ended)
        {
            // Measured while auto-heal was acting: the next check tells what the action achieved.
            return;
        }

        var options = apps.Get(app);
        var incident = openIncidents.Of(app);
        var holder = locks.HolderOf(app);
        var plan = HealDecision.Decide(new HealInput(
            observation.Live is not null && live.Latest.Message != AppChecks.NeverLive,
            live.Status,
            live.ConsecutiveFailures,
            state.LastActionEnd is null ? live.ConsecutiveFailures : HealDecision.TrailingFailures(checks.History(live.Name), state.LastActionEnd),
            options.AutoHeal.FailuresBeforeAction,
            options.AutoHeal.Enabled,
            incident is not null,
            holder is null ? null : Describe(holder)));

        if (plan.CloseIncident && incident is not null)
        {
            var resolution = await incidents.ResolutionAsync(incident, state.Resolution, cancellationToken);
            await CloseAsync(incident, live.Latest.At, resolution, cancellationToken);
        }

        if (live.Status != CheckStatus.Failing)
        {
            state.WaitingFor = null;
        }

        if (plan.OpenIncident && observation.Live is { } failingSlot)
        {
            await incidents.OpenAsync(app, failingSlot, live, cancellationToken);
        }

        switch (plan.Action)
        {
            case HealAction.WaitForLock:
                LogWaitingOnce(app, state, holder!);
                break;
            case HealAction.Heal:
                await HealAsync(app, options, state, live, cancellationToken);
                break;
        }
    }

    private async Task HealAsync(string app, AppOptions options, AppHealState state, CheckState live, CancellationToken cancellationToken)
    {
        var id = OperationId.New(OperationKind.AutoHeal, time);
        IDisposable hold;
        try
        {
            hold = locks.Acquire(app, id, $"auto-heal of {app}");
        }
        catch (LockHeldException)
        {
            // A deploy started between the look and the grab: it goes first.
            if (locks.HolderOf(app) is { } holder)
            {
                LogWaitingOnce(app, state, holder);
            }

            return;
        }

        using (hold)
        {
            state.WaitingFor = null;
            try
            {
                await HealUnderLockAsync(app, options, state, live, cancellationToken);
            }
            finally
            {
                state.LastActionEnd = time.GetUtcNow();
            }
        }
    }

    private async Task HealUnderLockAsync(string app, AppOptions options, AppHealState state, CheckState live, CancellationToken cancellationToken)
    {
        // Look again under the lock: a deploy that just ended may have changed the live slot or fixed it.
        if (await router.GetLiveSlotAsync(app, cancellationToken) is not { } liveSlot)
        {
            return;
        }

        var again = await slots.ProbeAsync(app, options, liveSlot, cancellationToken, countRestartsAsFailure: false);
        if (again.Healthy)
        {
            LogRecoveredBeforeActing(logger, app, liveSlot.Name());
            return;
        }

        var standbySlot = liveSlot.Other();
        var standby = await admission.MayServeAsync(app, options, standbySlot, checkedBy: null, cancellationToken);
        var liveContainer = await containers.FindSlotContainerAsync(app, liveSlot, cancellationToken);
        var failures = live.ConsecutiveFailures;

        switch (HealDecision.ChooseRemedy(standby.Admitted, liveContainer is not null))
        {
            case HealRemedy.SwitchToStandby:
                await SwitchToStandbyAsync(app, options, state, liveSlot, liveContainer, standby.Container!, failures, again.Message, cancellationToken);
                break;
            case HealRemedy.RestartLive:
                var why = standby.Refusal switch
                {
                    SlotPrecondition.HasNoContainer => $"slot {standbySlot.Name()} is empty",
                    SlotPrecondition.NeverServed => $"slot {standbySlot.Name()} holds a release that never served successfully",
                    SlotPrecondition.ImageNotAllowed => $"slot {standbySlot.Name()} holds an image the image policy no longer allows ({standby.Reason})",
                    _ when standby.Container is { State: not "running" } stopped => $"slot {standbySlot.Name()} is {stopped.State}",
                    _ => $"slot {standbySlot.Name()} is unhealthy ({standby.Reason})",
                };
                await RestartLiveAsync(app, options, state, liveSlot, liveContainer!, failures, why, cancellationToken);
                break;
            default:
                LogNothingToDo(logger, app, liveSlot.Name(), standbySlot.Name());
                break;
        }
    }

    private async Task SwitchToStandbyAsync(
        string app,
        AppOptions options,
        AppHealState state,
        Slot liveSlot,
        SlotContainer? liveContainer,
        SlotContainer standby,
        int failures,
        string failure,
        CancellationToken cancellationToken)
    {
        var target = liveSlot.Other();
        LogSwitching(logger, app, liveSlot.Name(), failures, failure, target.Name(), standby.Image);
        MoveResult moved;
        try
        {
            // The slot that failed is no standby: it gets no lease, so neither standby expiry nor a status shows it as one.
            moved = await move.MoveAsync(app, target, checkedBy: null, keepLeft: false, cancellationToken);
        }
        catch (Exception ex) when (ex is TrafficSwitchException or DependencyUnavailableException or SlotPreconditionException)
        {
            LogSwitchFailed(logger, app, target.Name(), ex.Message);
            return;
        }

        var routed = moved.Routed;
        var healedAt = time.GetUtcNow();

        await standbys.ClearAsync(app, cancellationToken);
        var resolution = $"auto-heal switched traffic to the standby slot {target.Name()} ({standby.Image}) " +
            $"after slot {liveSlot.Name()} failed {failures} checks in a row";
        Acted(app, state, resolution, healedAt, "switch", liveSlot, target, standby.Image);
        if (!routed.Passed)
        {
            LogNotRoutedYet(logger, app, target.Name(), routed.Message);
        }

        var now = await slots.ProbeAsync(app, options, target, cancellationToken, countRestartsAsFailure: false);
        if (now.Healthy && openIncidents.Of(app) is { } incident)
        {
            await CloseAsync(incident, healedAt, resolution, cancellationToken);
        }

        // Stopped, not removed: its logs tell why it failed (`docker logs mizan-APP-SLOT`); the next deploy replaces it.
        if (liveContainer is { State: "running" or "restarting" })
        {
            await containers.StopAsync(liveContainer.Id, FailedContainerGrace, cancellationToken);
        }
    }

    private async Task RestartLiveAsync(
        string app,
        AppOptions options,
        AppHealState state,
        Slot liveSlot,
        SlotContainer liveContainer,
        int failures,
        string whyNotStandby,
        CancellationToken cancellationToken)
    {
        LogRestarting(logger, app, liveSlot.Name(), failures, whyNotStandby, liveContainer.Image);
        try
        {
            await containers.RestartAsync(liveContainer.Id, FailedContainerGrace, cancellationToken);
        }
        catch (DependencyUnavailableException ex)
        {
            LogRestartFailed(logger, app, liveSlot.Name(), ex.Message);
            return;
        }

        var health = await gate.WaitHealthyAsync(
            liveContainer.Id,
            AppCatalog.PortOf(options, liveSlot),
            options.Health,
            cancellationToken,
            countRestartsAsFailure: false);
        var healedAt = time.GetUtcNow();
        if (!health.Healthy)
        {
            LogRestartDidNotHelp(logger, app, liveSlot.Name(), health.Message);
            Acted(app, state, null, healedAt, "restart", liveSlot, liveSlot, liveContainer.Image,
                $"restarted the live container in slot {liveSlot.Name()} but it is still unhealthy: {health.Message}");
            return;
        }

        var resolution = $"auto-heal restarted the live container in slot {liveSlot.Name()} ({liveContainer.Image}) " +
            $"after it failed {failures} checks in a row; {whyNotStandby}";
        Acted(app, state, resolution, healedAt, "restart", liveSlot, liveSlot, liveContainer.Image);
        if (openIncidents.Of(app) is { } incident)
        {
            await CloseAsync(incident, healedAt, resolution, cancellationToken);
        }
    }

    private void Acted(
        string app,
        AppHealState state,
        string? resolution,
        DateTimeOffset at,
        string action,
        Slot from,
        Slot to,
        string image,
        string? summary = null)
    {
        if (resolution is not null)
        {
            state.Resolution = (resolution, at);
        }

        LogActed(logger, app, summary ?? resolution!);
        events.Publish(new AgentEvent(
            AgentEventKind.AutoHealed,
            at,
            app,
            $"{app}: {summary ?? resolution}",
            null,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["action"] = action,
                ["from_slot"] = from.Name(),
                ["to_slot"] = to.Name(),
                ["image"] = image,
                ["incident_id"] = openIncidents.Of(app)?.Id ?? "",
            }));
    }

    private async Task CloseAsync(IncidentRecord incident, DateTimeOffset closedAt, string resolution, CancellationToken cancellationToken)
    {
        await incidents.CloseAsync(incident, closedAt, resolution, cancellationToken);
        states[incident.App].Resolution = null;
    }

    private void LogWaitingOnce(string app, AppHealState state, LockHolder holder)
    {
        if (state.WaitingFor != holder.Operation.Value)
        {
            state.WaitingFor = holder.Operation.Value;
            LogWaiting(logger, app, holder.Operation.Value, holder.What);
        }
    }

    private static string Describe(LockHolder holder) => $"{holder.What} ({holder.Operation.Value})";

    private sealed class AppHealState
    {
        /// <summary>When auto-heal last finished acting: checks measured before it are stale.</summary>
        public DateTimeOffset? LastActionEnd { get; set; }

        /// <summary>How auto-heal last brought the app back, for the incident it closes.</summary>
        public (string Text, DateTimeOffset At)? Resolution { get; set; }

        /// <summary>The lock holder already logged as waited for, so the wait is logged once, not at every check.</summary>
        public string? WaitingFor { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-heal of {App} waits for deployment {DeploymentId} ({What}) to finish; " +
        "it acts at the next check after it, if still needed")]
    private static partial void LogWaiting(ILogger logger, string app, string deploymentId, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auto-heal of {App}: the live slot {Slot} answers again; nothing to do")]
    private static partial void LogRecoveredBeforeActing(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-heal of {App}: live slot {Slot} failed {Failures} checks in a row ({Failure}); " +
        "switching traffic to the standby slot {Target} ({Image})")]
    private static partial void LogSwitching(ILogger logger, string app, string slot, int failures, string failure, string target, string image);

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto-heal of {App}: switching to slot {Target} failed: {Reason}")]
    private static partial void LogSwitchFailed(ILogger logger, string app, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-heal of {App}: nginx does not route to slot {Target} yet: {Reason}")]
    private static partial void LogNotRoutedYet(ILogger logger, string app, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-heal of {App}: live slot {Slot} failed {Failures} checks in a row " +
        "and no standby can take over ({WhyNotStandby}); restarting its container ({Image})")]
    private static partial void LogRestarting(ILogger logger, string app, string slot, int failures, string whyNotStandby, string image);

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto-heal of {App}: restarting the container in slot {Slot} failed: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string app, string slot, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto-heal of {App}: the container in slot {Slot} was restarted but is still unhealthy: {Reason}; " +
        "deploy a working release")]
    private static partial void LogRestartDidNotHelp(ILogger logger, string app, string slot, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto-heal of {App}: live slot {Slot} has no container to restart and slot {Standby} cannot take over; " +
        "only a deploy can bring it back")]
    private static partial void LogNothingToDo(ILogger logger, string app, string slot, string standby);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: {Summary}")]
    private static partial void LogActed(ILogger logger, string app, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto-heal of {App} failed: {Reason}")]
    private static partial void LogHandleFailed(ILogger logger, string app, string reason);
}
