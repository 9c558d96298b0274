using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class DeploysAndDoraFiguresAreScrapedFromPrometheus(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TwoDeploysShowAsCountersStepHistogramsAndDoraGauges()
    {
        await StartAsync(configure: agent => agent.WithPrometheus());
        await DeploySucceedsAsync(AppVariant.V1);
        await DeploySucceedsAsync(AppVariant.V2);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var url = $"http://127.0.0.1:{Config.PrometheusPort}/metrics";

        // The DORA gauges are recomputed in the background after each deploy ends: wait for the second one.
        var scraped = await Eventually.ValueAsync(
            async token => PrometheusText.Parse(await http.GetStringAsync(url, token)),
            text => text.Value("mizan_deploys_total", ("app", AppName), ("kind", "deploy"), ("outcome", "succeeded")) == 2
                && text.Value("mizan_dora_deployment_frequency_per_day", ("app", AppName)) is > 0.06,
            TimeSpan.FromSeconds(20),
            last => $"two succeeded deploys of {AppName} and their DORA gauges on {url}; last scrape:{Environment.NewLine}{last?.Text}",
            Token);
        Output.WriteLine(scraped.Text);

        Assert.Equal("counter", scraped.Types["mizan_deploys_total"]);
        Assert.Equal("histogram", scraped.Types["mizan_deploy_step_duration_seconds"]);
        Assert.Equal("gauge", scraped.Types["mizan_dora_deployment_frequency_per_day"]);

        // Each of the six steps of both deploys ran (the first deploy skipped its standby, so 1 of those).
        foreach (var (step, count) in new[] { ("validate", 2), ("pull", 2), ("start", 2), ("check", 2), ("switch", 2), ("verify", 2), ("standby", 1) })
        {
            var labels = new[] { ("app", AppName), ("kind", "deploy"), ("step", step), ("status", "succeeded") };
            Assert.Equal(count, scraped.Value("mizan_deploy_step_duration_seconds_count", labels));
            Assert.Equal(count, scraped.Value("mizan_deploy_step_duration_seconds_bucket", [.. labels, ("le", "+Inf")]));
            Assert.True(scraped.Value("mizan_deploy_step_duration_seconds_sum", labels) > 0, $"{step} took no time");
            var buckets = scraped.Find("mizan_deploy_step_duration_seconds_bucket", labels).Select(b => b.Value).ToList();
            Assert.Equal(buckets.Order(), buckets);
        }

        // 2 deploys in 30 days; both succeeded and none followed a failure.
        Assert.Equal(2.0 / 30, scraped.Value("mizan_dora_deployment_frequency_per_day", ("app", AppName))!.Value, 3);
        Assert.Equal(0, scraped.Value("mizan_dora_change_failure_rate", ("app", AppName)));
        Assert.Equal(0, scraped.Value("mizan_dora_deployment_rework_rate", ("app", AppName)));
        Assert.Null(scraped.Value("mizan_dora_change_lead_time_seconds", ("app", AppName)));

        // Only /metrics is served there, and no gRPC.
        using var other = await http.GetAsync($"http://127.0.0.1:{Config.PrometheusPort}/mizan.agent.v1.AgentService/GetStatus", Token);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task ARollbackIsCountedWithItsDuration()
    {
        await StartAsync(configure: agent => agent.WithPrometheus());
        await DeploySucceedsAsync(AppVariant.V1);
        await DeploySucceedsAsync(AppVariant.V2);
        var rollback = await RollbackAsync();
        AssertState(rollback, Mizan.Agent.V1.DeploymentState.Succeeded);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        var text = PrometheusText.Parse(await http.GetStringAsync($"http://127.0.0.1:{Config.PrometheusPort}/metrics", Token));

        Assert.Equal(1, text.Value("mizan_deploys_total", ("app", AppName), ("kind", "rollback"), ("outcome", "succeeded")));
        Assert.Equal(1, text.Value("mizan_rollback_duration_seconds_count", ("app", AppName), ("outcome", "succeeded")));
        var seconds = text.Value("mizan_rollback_duration_seconds_sum", ("app", AppName), ("outcome", "succeeded"));
        var recorded = rollback.Result!.EndedAt.ToDateTimeOffset() - rollback.Result.StartedAt.ToDateTimeOffset();
        Assert.Equal(recorded.TotalSeconds, seconds!.Value, 2);
    }
}
