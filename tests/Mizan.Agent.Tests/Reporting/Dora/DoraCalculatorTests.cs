using Mizan.Agent.Deployments.History;
using Mizan.Agent.Reporting.Dora;

namespace Mizan.Agent.Tests.Reporting.Dora;

public class DoraCalculatorTests
{
    // Window: the 30 days before 31 March 2026 00:00 UTC, so From = 1 March 00:00. Failure window: 1 hour.
    private static readonly DateTimeOffset Now = At("03-31 00:00");
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private static readonly TimeSpan FailureWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// One month of the app "web", worked out by hand:
    /// D0  28 Feb 23:30-23:40 rolled back (switch 23:35)      before the window: not counted, but a failure signal
    /// D1  1 Mar 00:20-00:25 succeeded, commit 28 Feb 22:25   lead 2 h; rework (40 min after D0 ended)
    /// D2  5 Mar 10:00-10:10 rolled back (switch 10:06)       failed change; recovery 4 min (10:06 to 10:10)
    /// D3  5 Mar 10:30-10:35 succeeded, commit 09:35          lead 1 h; rework (20 min after D2 ended)
    /// D4  10 Mar 12:00-12:02 succeeded, commit 9 Mar 12:02   lead 24 h; failed change: incident I1 names it, 28 min later
    /// I1  10 Mar 12:30-13:00 incident (deployment D4)        recovery 30 min
    /// D5  10 Mar 12:45-12:50 succeeded, no commit time       no lead time; rework (I1 open)
    /// D6  20 Mar 09:00-09:05 failed before the switch        never reached production: not counted anywhere
    /// D7  20 Mar 09:30-09:35 succeeded, commit 18 Mar 09:35  lead 48 h; failed change: rolled back by hand at 10:00
    /// R1  20 Mar 10:00-10:00:30 rollback succeeded           not a deployment
    /// D8  25 Mar 10:00-10:05 succeeded, commit 09:05         lead 1 h
    /// Deploys that reached production in the window: D1 D2 D3 D4 D5 D7 D8 = 7.
    /// </summary>
    private static DoraHistory Month() => new(
        [
            Deploy("D0", "02-28 23:30", "02-28 23:40", DeploymentState.RolledBack, switchedAt: "02-28 23:35"),
            Deploy("D1", "03-01 00:20", "03-01 00:25", DeploymentState.Succeeded, commit: "02-28 22:25"),
            Deploy("D2", "03-05 10:00", "03-05 10:10", DeploymentState.RolledBack, switchedAt: "03-05 10:06"),
            Deploy("D3", "03-05 10:30", "03-05 10:35", DeploymentState.Succeeded, commit: "03-05 09:35"),
            Deploy("D4", "03-10 12:00", "03-10 12:02", DeploymentState.Succeeded, commit: "03-09 12:02"),
            Deploy("D5", "03-10 12:45", "03-10 12:50", DeploymentState.Succeeded),
            Deploy("D6", "03-20 09:00", "03-20 09:05", DeploymentState.Failed),
            Deploy("D7", "03-20 09:30", "03-20 09:35", DeploymentState.Succeeded, commit: "03-18 09:35"),
            Rollback("R1", "03-20 10:00", At("03-20 10:00").AddSeconds(30)),
            Deploy("D8", "03-25 10:00", "03-25 10:05", DeploymentState.Succeeded, commit: "03-25 09:05"),
        ],
        [new DoraIncident("web", At("03-10 12:30"), At("03-10 13:00"), "D4")],
        Now - Window,
        Now,
        FailureWindow);

    [Fact]
    public void Compute_Month_DeploymentFrequencyCountsOnlyDeploysThatReachedProduction()
    {
        var figure = DoraCalculator.Compute(Month(), "web")[DoraCalculator.DeploymentFrequency];

        // 7 deploys / 30 days = 0.2333 a day: between once a week (0.1429) and once a day, so high.
        Assert.Equal(7.0 / 30, figure.Value!.Value, 6);
        Assert.Equal(7, figure.SampleSize);
        Assert.Equal(PerformanceLevel.High, figure.Level);
        Assert.Equal("per_day", figure.Unit);
    }

    [Fact]
    public void Compute_Month_ChangeLeadTimeIsTheMedianOverSucceededDeploysWithACommitTime()
    {
        var figure = DoraCalculator.Compute(Month(), "web")[DoraCalculator.ChangeLeadTime];

        // D1 2 h, D3 1 h, D4 24 h, D7 48 h, D8 1 h: sorted 1, 1, 2, 24, 48 h, median 2 h = 7200 s, under a day: elite.
        Assert.Equal(7200, figure.Value);
        Assert.Equal(5, figure.SampleSize);
        Assert.Equal(PerformanceLevel.Elite, figure.Level);
    }

    [Fact]
    public void Compute_Month_ChangeFailureRateCountsRollbacksIncidentsAndManualRollbacks()
    {
        var figure = DoraCalculator.Compute(Month(), "web")[DoraCalculator.ChangeFailureRate];

        // D2 (rolled back), D4 (incident 28 min after), D7 (rolled back by hand 25 min after) = 3 of 7 = 42.9 %: low.
        Assert.Equal(3.0 / 7, figure.Value!.Value, 6);
        Assert.Equal(7, figure.SampleSize);
        Assert.Equal(PerformanceLevel.Low, figure.Level);
    }

    [Fact]
    public void Compute_Month_RecoveryTimeIsTheMedianOfIncidentsAndFailedDeploys()
    {
        var figure = DoraCalculator.Compute(Month(), "web")[DoraCalculator.FailedDeploymentRecoveryTime];

        // I1 30 min, D2 4 min: median 17 min = 1020 s, under an hour: elite.
        Assert.Equal(1020, figure.Value);
        Assert.Equal(2, figure.SampleSize);
        Assert.Equal(PerformanceLevel.Elite, figure.Level);
    }

    [Fact]
    public void Compute_Month_ReworkRateCountsDeploysThatFollowAFailure()
    {
        var figure = DoraCalculator.Compute(Month(), "web")[DoraCalculator.DeploymentReworkRate];

        // D1 (after D0, before the window), D3 (after D2), D5 (during I1) = 3 of 7; D7 follows D6, which never went live.
        Assert.Equal(3.0 / 7, figure.Value!.Value, 6);
        Assert.Equal(7, figure.SampleSize);
        Assert.Equal(PerformanceLevel.Low, figure.Level);
    }

    [Fact]
    public void Compute_OtherApp_SeesNoneOfWebsHistory()
    {
        var report = DoraCalculator.Compute(Month(), "api");

        Assert.All(report.Figures, figure => Assert.Equal(PerformanceLevel.NoData, figure.Level));
        Assert.All(report.Figures, figure => Assert.Equal(0, figure.SampleSize));
        Assert.Equal(0, report[DoraCalculator.DeploymentFrequency].Value);
        Assert.Null(report[DoraCalculator.ChangeLeadTime].Value);
        Assert.Null(report[DoraCalculator.ChangeFailureRate].Value);
    }

    [Fact]
    public void Compute_AllApps_AddsTheAppsTogether()
    {
        var month = Month();
        var withApi = month with
        {
            Deployments = [.. month.Deployments, Deploy("A1", "03-15 08:00", "03-15 08:01", DeploymentState.Succeeded, app: "api")],
        };

        var report = DoraCalculator.Compute(withApi, app: null);

        // 7 web + 1 api = 8 deploys; failed changes still D2, D4, D7: 3 of 8.
        Assert.Null(report.App);
        Assert.Equal(8, report[DoraCalculator.DeploymentFrequency].SampleSize);
        Assert.Equal(3.0 / 8, report[DoraCalculator.ChangeFailureRate].Value!.Value, 6);
    }

    [Fact]
    public void Compute_FirstDeployFailingAfterItsSwitch_IsAFailedChangeRestoredByTheNextSucceededDeploy()
    {
        // F1 went live at 10:02 and failed its verify with no previous slot; F2 put a working release live at 10:40.
        var history = new DoraHistory(
            [
                Deploy("F1", "03-02 10:00", "03-02 10:03", DeploymentState.Failed, switchedAt: "03-02 10:02"),
                Deploy("F2", "03-02 10:35", "03-02 10:40", DeploymentState.Succeeded),
            ],
            [],
            Now - Window,
            Now,
            FailureWindow);

        var report = DoraCalculator.Compute(history, "web");

        // Both reached production; F1 failed: 1 of 2. Recovery 10:02 to 10:40 = 38 min = 2280 s. F2 is rework (32 min after F1).
        Assert.Equal(2, report[DoraCalculator.DeploymentFrequency].SampleSize);
        Assert.Equal(0.5, report[DoraCalculator.ChangeFailureRate].Value);
        Assert.Equal(PerformanceLevel.NoData, report[DoraCalculator.ChangeFailureRate].Level);
        Assert.Equal(2280, report[DoraCalculator.FailedDeploymentRecoveryTime].Value);
        Assert.Equal(0.5, report[DoraCalculator.DeploymentReworkRate].Value);
    }

    [Fact]
    public void Compute_IncidentAfterTheFailureWindow_IsNotAFailedChange()
    {
        // The incident opens 61 min after the deploy ended: outside the 1 h window, so the deploy stands as a success.
        var history = new DoraHistory(
            [Deploy("D1", "03-02 10:00", "03-02 10:05", DeploymentState.Succeeded)],
            [new DoraIncident("web", At("03-02 11:06"), At("03-02 11:10"), "D1")],
            Now - Window,
            Now,
            FailureWindow);

        var report = DoraCalculator.Compute(history, "web");

        Assert.Equal(0, report[DoraCalculator.ChangeFailureRate].Value);
        Assert.Equal(240, report[DoraCalculator.FailedDeploymentRecoveryTime].Value);
    }

    [Fact]
    public void Compute_IncidentWithoutDeploymentId_IsAttributedToTheDeployLiveWhenItOpened()
    {
        var history = new DoraHistory(
            [
                Deploy("D1", "03-02 10:00", "03-02 10:05", DeploymentState.Succeeded),
                Deploy("D2", "03-02 10:20", "03-02 10:25", DeploymentState.Succeeded),
            ],
            [new DoraIncident("web", At("03-02 10:40"), null, null)],
            Now - Window,
            Now,
            FailureWindow);

        var report = DoraCalculator.Compute(history, "web");

        // D2 was live at 10:40 (15 min after it ended): 1 failed of 2. The incident is still open: no recovery sample.
        Assert.Equal(0.5, report[DoraCalculator.ChangeFailureRate].Value);
        Assert.Equal(0, report[DoraCalculator.FailedDeploymentRecoveryTime].SampleSize);
        Assert.Equal(PerformanceLevel.NoData, report[DoraCalculator.FailedDeploymentRecoveryTime].Level);
    }

    [Fact]
    public void Compute_CommitTimeAfterTheDeploy_IsLeftOutOfTheLeadTime()
    {
        // A clock that runs ahead must not give a negative lead time.
        var history = new DoraHistory(
            [
                Deploy("D1", "03-02 10:00", "03-02 10:05", DeploymentState.Succeeded, commit: "03-02 11:00"),
                Deploy("D2", "03-03 10:00", "03-03 10:05", DeploymentState.Succeeded, commit: "03-03 09:05"),
            ],
            [],
            Now - Window,
            Now,
            FailureWindow);

        var figure = DoraCalculator.Compute(history, "web")[DoraCalculator.ChangeLeadTime];

        Assert.Equal(3600, figure.Value);
        Assert.Equal(1, figure.SampleSize);
        Assert.Equal(PerformanceLevel.NoData, figure.Level);
    }

    [Fact]
    public void Compute_InterruptedAndRunningDeploys_AreNotCounted()
    {
        var history = new DoraHistory(
            [
                Deploy("D1", "03-02 10:00", "03-02 10:05", DeploymentState.Interrupted, switchedAt: "03-02 10:02"),
                Deploy("D2", "03-30 23:59", null, DeploymentState.Running),
            ],
            [],
            Now - Window,
            Now,
            FailureWindow);

        var report = DoraCalculator.Compute(history, "web");

        Assert.Equal(0, report[DoraCalculator.DeploymentFrequency].SampleSize);
    }

    [Fact]
    public void Compute_EveryFigure_HasADefinitionThatNamesTheFailureWindow()
    {
        var report = DoraCalculator.Compute(Month(), "web");

        Assert.Equal(
            [
                DoraCalculator.DeploymentFrequency,
                DoraCalculator.ChangeLeadTime,
                DoraCalculator.ChangeFailureRate,
                DoraCalculator.FailedDeploymentRecoveryTime,
                DoraCalculator.DeploymentReworkRate
            ],
            report.Figures.Select(f => f.Name));
        Assert.Contains("1 h", report[DoraCalculator.ChangeFailureRate].Definition, StringComparison.Ordinal);
        Assert.Contains("1 h", report[DoraCalculator.DeploymentReworkRate].Definition, StringComparison.Ordinal);
        Assert.Contains("30-day window", report[DoraCalculator.DeploymentFrequency].Definition, StringComparison.Ordinal);
    }

    private static DoraDeployment Deploy(
        string id,
        string started,
        string? ended,
        DeploymentState state,
        string? commit = null,
        string? switchedAt = null,
        string app = "web") =>
        new(
            id,
            app,
            DeploymentKind.Deploy,
            state,
            At(started),
            ended is null ? null : At(ended),
            commit is null ? null : At(commit),
            switchedAt is null ? null : At(switchedAt));

    private static DoraDeployment Rollback(string id, string started, DateTimeOffset ended) =>
        new(id, "web", DeploymentKind.Rollback, DeploymentState.Succeeded, At(started), ended, null);

    /// <summary>"MM-dd HH:mm" in 2026, UTC.</summary>
    private static DateTimeOffset At(string monthDayTime) =>
        DateTimeOffset.ParseExact(
            "2026-" + monthDayTime,
            "yyyy-MM-dd HH:mm",
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);
}
