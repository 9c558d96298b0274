using System.Globalization;
using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Reporting.Dora;

/// <summary>
/// The five DORA figures from a deployment history, with DORA's current names. Pure: the same history, window and
/// failure window always give the same figures, so every rule below is pinned by unit tests worked out by hand.
/// Rollbacks are not deployments (they change no code); they count as a failure signal for the deploy they undo.
/// </summary>
public static class DoraCalculator
{
    public const string DeploymentFrequency = "deployment_frequency";
    public const string ChangeLeadTime = "change_lead_time";
    public const string ChangeFailureRate = "change_failure_rate";
    public const string FailedDeploymentRecoveryTime = "failed_deployment_recovery_time";
    public const string DeploymentReworkRate = "deployment_rework_rate";

    /// <summary>The figures of <paramref name="app"/>, or of every app together when it is null.</summary>
    public static DoraReport Compute(DoraHistory history, string? app)
    {
        var all = history.Deployments.Where(d => app is null || d.App == app).OrderBy(d => d.StartedAt).ToList();
        var incidents = history.Incidents.Where(i => app is null || i.App == app).OrderBy(i => i.OpenedAt).ToList();
        var window = new Scope(history, all, incidents);
        var deployments = all.Where(d => d.ReachedProduction && d.StartedAt >= history.From && d.StartedAt <= history.To).ToList();
        return new DoraReport(app, history.From, history.To,
        [
            Frequency(deployments, history),
            LeadTime(deployments),
            FailureRate(deployments, window),
            RecoveryTime(deployments, window),
            ReworkRate(deployments, window),
        ]);
    }

    private static DoraFigure Frequency(List<DoraDeployment> deployments, DoraHistory history)
    {
        var days = (history.To - history.From).TotalDays;
        var perDay = days <= 0 ? 0 : deployments.Count / days;
        return new DoraFigure(
            DeploymentFrequency,
            "Deployment frequency",
            perDay,
            "per_day",
            deployments.Count,
            deployments.Count == 0 ? PerformanceLevel.NoData : DoraLevels.OfFrequency(perDay),
            $"Deploys that reached production (succeeded, or went live and then failed) per day over the {Days(history.To - history.From)}; " +
                "rollbacks and deploys stopped before the switch are not counted.");
    }

    private static DoraFigure LeadTime(List<DoraDeployment> deployments)
    {
        var leadTimes = deployments
            .Where(d => d.State == DeploymentState.Succeeded && d.CommitTime is not null && d.EndedAt is not null)
            .Select(d => d.EndedAt!.Value - d.CommitTime!.Value)
            .Where(lead => lead >= TimeSpan.Zero)
            .ToList();
        var median = Median(leadTimes);
        return new DoraFigure(
            ChangeLeadTime,
            "Change lead time",
            median?.TotalSeconds,
            "seconds",
            leadTimes.Count,
            median is { } value && leadTimes.Count >= DoraLevels.MinimumSample ? DoraLevels.OfLeadTime(value) : PerformanceLevel.NoData,
            "Median time from the commit (--commit-time, else the image's org.opencontainers.image.created label) " +
                "to the end of the deploy that put it live, over succeeded deploys that carry a commit time.");
    }

    private static DoraFigure FailureRate(List<DoraDeployment> deployments, Scope scope) =>
        Share(
            ChangeFailureRate,
            "Change failure rate",
            deployments.Count(scope.IsFailedChange),
            deployments.Count,
            $"Share of deploys that reached production and then failed: rolled back (automatically after a failed verify, " +
                $"or by `mizanctl rollback` within {Span(scope.FailureWindow)}), failed after the switch, " +
                $"or followed by an incident of the app within {Span(scope.FailureWindow)}.");

    private static DoraFigure RecoveryTime(List<DoraDeployment> deployments, Scope scope)
    {
        var recoveries = new List<TimeSpan>();
        foreach (var incident in scope.Incidents.Where(i => i.ClosedAt is not null && i.OpenedAt >= scope.From && i.OpenedAt <= scope.To))
        {
            recoveries.Add(incident.ClosedAt!.Value - incident.OpenedAt);
        }

        foreach (var failed in deployments.Where(d => d.State is DeploymentState.RolledBack or DeploymentState.Failed))
        {
            var broke = failed.TrafficMovedAt ?? failed.StartedAt;
            if (scope.RestoredAt(failed) is { } restored && restored >= broke)
            {
                recoveries.Add(restored - broke);
            }
        }

        var median = Median(recoveries);
        return new DoraFigure(
            FailedDeploymentRecoveryTime,
            "Failed deployment recovery time",
            median?.TotalSeconds,
            "seconds",
            recoveries.Count,
            median is { } value ? DoraLevels.OfRecoveryTime(value) : PerformanceLevel.NoData,
            "Median time to restore service: from an incident's opening to its close, and from a failed deploy's switch to the moment traffic was back " +
                "on a working release (its automatic switch back, or the next successful deploy or rollback); open incidents are not counted yet.");
    }

    private static DoraFigure ReworkRate(List<DoraDeployment> deployments, Scope scope) =>
        Share(
            DeploymentReworkRate,
            "Deployment rework rate",
            deployments.Count(scope.IsRework),
            deployments.Count,
            $"Share of deploys that were unplanned fixes: started while the app had an open incident, " +
                $"or within {Span(scope.FailureWindow)} after an incident opened, a deploy failed in production or a rollback ran.");

    /// <summary>A share of the deployments, graded like change failure rate (see <see cref="DoraLevels"/>).</summary>
    private static DoraFigure Share(string name, string title, int hits, int deployments, string definition)
    {
        double? ratio = deployments == 0 ? null : (double)hits / deployments;
        var level = ratio is { } value && deployments >= DoraLevels.MinimumSample ? DoraLevels.OfFailureShare(value) : PerformanceLevel.NoData;
        return new DoraFigure(name, title, ratio, "ratio", deployments, level, definition);
    }

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static string Days(TimeSpan window) =>
        window.TotalDays >= 1 && window.TotalDays % 1 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalDays:0}-day window")
            : string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0.#}-hour window");

    private static string Span(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalMinutes % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} h")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");

    /// <summary>
    /// One app's (or all apps') history with the rules that relate deploys, rollbacks and incidents. Indexed per app
    /// once, so a year of frequent deploys costs a few binary searches per deploy, not a scan of the whole history.
    /// </summary>
    private sealed class Scope
    {
        private readonly DoraHistory history;
        private readonly Dictionary<string, AppTimeline> timelines = new(StringComparer.Ordinal);
        private readonly HashSet<DoraDeployment> followedByIncident = [];

        public Scope(DoraHistory history, List<DoraDeployment> all, List<DoraIncident> incidents)
        {
            this.history = history;
            Incidents = incidents;
            foreach (var group in all.GroupBy(d => d.App, StringComparer.Ordinal))
            {
                timelines[group.Key] = new AppTimeline(group.ToList(), incidents.Where(i => i.App == group.Key).ToList());
            }

            var byId = all.ToDictionary(d => d.Id, StringComparer.Ordinal);
            foreach (var incident in incidents)
            {
                if (AttributedTo(incident, byId) is { EndedAt: { } live } deployment && Within(live, incident.OpenedAt))
                {
                    followedByIncident.Add(deployment);
                }
            }
        }

        public DateTimeOffset From => history.From;

        public DateTimeOffset To => history.To;

        public TimeSpan FailureWindow => history.FailureWindow;

        public List<DoraIncident> Incidents { get; }

        public bool IsFailedChange(DoraDeployment deployment)
        {
            if (deployment.State is DeploymentState.RolledBack or DeploymentState.Failed)
            {
                return deployment.ReachedProduction;
            }

            if (deployment.State != DeploymentState.Succeeded || deployment.EndedAt is not { } live)
            {
                return false;
            }

            if (followedByIncident.Contains(deployment))
            {
                return true;
            }

            // Rolled back by hand within the failure window, before another deploy replaced it.
            var timeline = timelines[deployment.App];
            var nextDeploy = timeline.NextProductionStart(deployment);
            var rollback = AppTimeline.FirstAtOrAfter(timeline.RollbackStarts, live);
            return rollback is { } at && Within(live, at) && (nextDeploy is null || at < nextDeploy);
        }

        /// <summary>When traffic was back on a working release after a failed deploy; null while it is not.</summary>
        public DateTimeOffset? RestoredAt(DoraDeployment failed)
        {
            if (!failed.ReachedProduction)
            {
                return null;
            }

            if (failed.State == DeploymentState.RolledBack)
            {
                return failed.EndedAt;
            }

            return timelines[failed.App].Succeeded.FirstOrDefault(d => d.StartedAt > failed.StartedAt)?.EndedAt;
        }

        public bool IsRework(DoraDeployment deployment)
        {
            var start = deployment.StartedAt;
            var timeline = timelines[deployment.App];
            var duringIncident = timeline.Incidents.Any(i => i.OpenedAt <= start && (i.ClosedAt is null || i.ClosedAt > start));
            var signal = AppTimeline.FirstAtOrAfter(timeline.FailureSignals, start - history.FailureWindow);
            return duringIncident || (signal is { } at && at <= start);
        }

        /// <summary>The deploy that was live when the incident opened: the one it names, else the app's last one before it.</summary>
        private DoraDeployment? AttributedTo(DoraIncident incident, Dictionary<string, DoraDeployment> byId) =>
            incident.DeploymentId is { } id
                ? byId.GetValueOrDefault(id)
                : timelines.GetValueOrDefault(incident.App)?.Production.LastOrDefault(d => d.EndedAt is { } ended && ended <= incident.OpenedAt);

        private bool Within(DateTimeOffset cause, DateTimeOffset effect) => effect >= cause && effect - cause <= history.FailureWindow;
    }

    /// <summary>One app's deploys, rollbacks and failure signals, each in time order.</summary>
    private sealed class AppTimeline
    {
        private readonly Dictionary<DoraDeployment, int> productionIndex;

        public AppTimeline(List<DoraDeployment> all, List<DoraIncident> incidents)
        {
            Incidents = incidents;
            Production = all.Where(d => d.ReachedProduction).ToList();
            productionIndex = Production.Select((d, i) => (d, i)).ToDictionary(p => p.d, p => p.i);
            Succeeded = all.Where(d => d.State == DeploymentState.Succeeded).ToList();
            RollbackStarts = [.. all.Where(IsSucceededRollback).Select(d => d.StartedAt).Order()];
            // What makes the next deploy rework: a failed change ending, a rollback ending, an incident opening.
            FailureSignals =
            [
                .. all.Where(d => d.EndedAt is not null && (IsFailedDeploy(d) || IsSucceededRollback(d))).Select(d => d.EndedAt!.Value)
                    .Concat(incidents.Select(i => i.OpenedAt))
                    .Order(),
            ];
        }

        public List<DoraIncident> Incidents { get; }

        public List<DoraDeployment> Production { get; }

        public List<DoraDeployment> Succeeded { get; }

        public List<DateTimeOffset> RollbackStarts { get; }

        public List<DateTimeOffset> FailureSignals { get; }

        public DateTimeOffset? NextProductionStart(DoraDeployment deployment) =>
            productionIndex.TryGetValue(deployment, out var i) && i + 1 < Production.Count ? Production[i + 1].StartedAt : null;

        /// <summary>The first time in the sorted <paramref name="times"/> at or after <paramref name="from"/>.</summary>
        public static DateTimeOffset? FirstAtOrAfter(List<DateTimeOffset> times, DateTimeOffset from)
        {
            var index = times.BinarySearch(from);
            if (index < 0)
            {
                index = ~index;
            }

            // BinarySearch finds any equal element; step back to the first of a run of equal times.
            while (index > 0 && times[index - 1] == from)
            {
                index--;
            }

            return index < times.Count ? times[index] : null;
        }

        private static bool IsFailedDeploy(DoraDeployment deployment) =>
            deployment.State is DeploymentState.RolledBack or DeploymentState.Failed && deployment.ReachedProduction;

        private static bool IsSucceededRollback(DoraDeployment deployment) =>
            deployment.Kind == DeploymentKind.Rollback && deployment.State == DeploymentState.Succeeded;
    }
}
