using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Api;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Reporting.Dora;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Reporting.Dora;

/// <summary>The query against a real SQLite file: what it reads back, and the figures and wire message it makes of it.</summary>
public sealed class DoraQueryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 0, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-dora-").FullName;
    private readonly DeploymentStore deployments;
    private readonly IncidentStore incidents;
    private readonly DoraQuery query;

    public DoraQueryTests()
    {
        var options = Options.Create(new AgentOptions { Agent = { DataDirectory = directory }, Metrics = { FailureWindow = TimeSpan.FromHours(1) } });
        var database = new AgentDatabase(options);
        deployments = new DeploymentStore(database);
        incidents = new IncidentStore(database);
        var time = new FakeTimeProvider(Now);
        query = new DoraQuery(deployments, incidents, new AppCatalog(options), options, time, new DoraReportCache(time));
    }

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task GetAsync_SeededHistory_GivesTheHandWorkedFigures()
    {
        // 3 Mar: d1 succeeded (commit 1 h before it ended). 4 Mar: d2 went live at 10:03 and failed its verify as the
        // first deploy (Failed, but its switch succeeded), d3 fixed it at 10:20, 15 min later (rework). 6 Mar: d4 failed
        // before its switch (not counted). 8 Mar: d5 succeeded, an incident opened 10 min later and closed 20 min after.
        // 15 Jan: d0, outside the 30-day window.
        await SeedAsync("d0", "01-15 10:00", "01-15 10:05", DeploymentState.Succeeded, commit: "01-15 09:05");
        await SeedAsync("d1", "03-03 10:00", "03-03 10:05", DeploymentState.Succeeded, commit: "03-03 09:05");
        await SeedAsync("d2", "03-04 10:00", "03-04 10:05", DeploymentState.Failed, switchedAt: "03-04 10:03");
        await SeedAsync("d3", "03-04 10:20", "03-04 10:25", DeploymentState.Succeeded, commit: "03-04 08:25");
        await SeedAsync("d4", "03-06 10:00", "03-06 10:01", DeploymentState.Failed);
        await SeedAsync("d5", "03-08 10:00", "03-08 10:05", DeploymentState.Succeeded, commit: "03-07 10:05");
        await incidents.InsertAsync(
            new IncidentRecord("i1", "web", At("03-08 10:15"), At("03-08 10:35"), "live slot not answering", "switched to standby", "d5"),
            CancellationToken.None);

        var response = (await query.GetAsync("web", TimeSpan.FromDays(30), CancellationToken.None)).ToProto();

        var byName = response.Metrics.ToDictionary(m => m.Name);
        Assert.Equal("web", response.App);
        Assert.Equal(Now.AddDays(-30), response.From.ToDateTimeOffset());
        // d1 d2 d3 d5 reached production: 4 in 30 days.
        Assert.Equal(4.0 / 30, byName["deployment_frequency"].Value, 6);
        Assert.Equal(4, byName["deployment_frequency"].SampleSize);
        Assert.Equal(V1.PerformanceLevel.Medium, byName["deployment_frequency"].Level);
        // d1 1 h, d3 2 h, d5 24 h: median 2 h.
        Assert.Equal(7200, byName["change_lead_time"].Value);
        Assert.Equal(3, byName["change_lead_time"].SampleSize);
        Assert.Equal(V1.PerformanceLevel.Elite, byName["change_lead_time"].Level);
        // d2 (failed after its switch) and d5 (incident 10 min after): 2 of 4.
        Assert.Equal(0.5, byName["change_failure_rate"].Value);
        Assert.Equal(V1.PerformanceLevel.Low, byName["change_failure_rate"].Level);
        // i1 20 min; d2 from its switch 10:03 to d3 live at 10:25, 22 min: median 21 min = 1260 s.
        Assert.Equal(1260, byName["failed_deployment_recovery_time"].Value);
        Assert.Equal(2, byName["failed_deployment_recovery_time"].SampleSize);
        // d3 only: 1 of 4.
        Assert.Equal(0.25, byName["deployment_rework_rate"].Value);
        Assert.True(byName["deployment_rework_rate"].HasValue);
    }

    [Fact]
    public async Task GetAsync_EmptyStore_SaysNoDataWithoutValues()
    {
        var response = (await query.GetAsync(null, TimeSpan.FromDays(7), CancellationToken.None)).ToProto();

        Assert.Equal(5, response.Metrics.Count);
        Assert.All(response.Metrics, m => Assert.Equal(V1.PerformanceLevel.NoData, m.Level));
        Assert.All(response.Metrics.Where(m => m.Name != "deployment_frequency"), m => Assert.False(m.HasValue));
        Assert.Equal("", response.App);
    }

    private async Task SeedAsync(string id, string started, string ended, DeploymentState state, string? commit = null, string? switchedAt = null)
    {
        var record = new DeploymentRecord(
            id, "web", DeploymentKind.Deploy, state, "web:" + id, "sha256:" + id, null, commit is null ? null : At(commit), "test",
            At(started), At(ended), null, "blue", null);
        await deployments.InsertAsync(record, CancellationToken.None);
        if (switchedAt is not null)
        {
            await deployments.AppendEventAsync(
                new DeploymentEventRecord(
                    id, 1, At(switchedAt), DeploymentStep.Switch, StepStatus.Succeeded, "switched", new Dictionary<string, string>()),
                CancellationToken.None);
        }
    }

    private static DateTimeOffset At(string monthDayTime) =>
        DateTimeOffset.ParseExact(
            "2026-" + monthDayTime,
            "yyyy-MM-dd HH:mm",
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);
}
