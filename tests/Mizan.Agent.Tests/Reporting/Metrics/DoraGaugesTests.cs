using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Reporting.Dora;
using Mizan.Agent.Reporting.Metrics;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Reporting.Metrics;

public sealed class DoraGaugesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-gauges-").FullName;
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeasurementRecorder recorder;
    private readonly DeploymentStore store;
    private readonly DoraGauges gauges;

    public DoraGaugesTests()
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        recorder = new MeasurementRecorder(meters);
        var options = Options.Create(new AgentOptions
        {
            Agent = { DataDirectory = directory },
            Apps = { ["web"] = new AppOptions(), ["api"] = new AppOptions() },
        });
        var database = new AgentDatabase(options);
        store = new DeploymentStore(database);
        var time = new FakeTimeProvider(Now);
        var query = new DoraQuery(store, new IncidentStore(database), new AppCatalog(options), options, time, new DoraReportCache(time));
        gauges = new DoraGauges(query, new AppCatalog(options), new AgentEvents(), meters, time, NullLogger<DoraGauges>.Instance);
    }

    public void Dispose()
    {
        gauges.Dispose();
        recorder.Dispose();
        services.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RefreshAsync_ThreeDeploysOfWeb_GivesWebsFiguresAndLeavesOutWhatHasNoValue()
    {
        // Three succeeded deploys of web, each committed 30 min before it ended; api has none.
        for (var day = 1; day <= 3; day++)
        {
            var started = Now.AddDays(-day);
            await store.InsertAsync(
                new DeploymentRecord(
                    $"d-{day}", "web", DeploymentKind.Deploy, DeploymentState.Succeeded, "web:v", "sha256:x", null, started.AddMinutes(-25), "test",
                    started, started.AddMinutes(5), null, "blue", null),
                CancellationToken.None);
        }

        await gauges.RefreshAsync(CancellationToken.None);
        recorder.Observe();

        // Frequency always has a value (api: 0 a day); the other figures only where there was something to compute.
        var frequency = recorder.Of("mizan.dora.deployment_frequency").ToDictionary(m => m.Tags["app"]!, m => m.Value);
        Assert.Equal(3.0 / 30, frequency["web"], 9);
        Assert.Equal(0, frequency["api"]);
        Assert.Equal(1800, Assert.Single(recorder.Of("mizan.dora.change_lead_time")).Value);
        Assert.Equal(0, Assert.Single(recorder.Of("mizan.dora.change_failure_rate")).Value);
        Assert.Empty(recorder.Of("mizan.dora.failed_deployment_recovery_time"));
    }
}
