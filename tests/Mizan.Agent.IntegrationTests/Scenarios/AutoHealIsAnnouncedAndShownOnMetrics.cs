using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// The self-checks, notifications and Prometheus together: when the live container dies, the people on the webhook
/// hear of the failure, the incident and the heal in that order, and /metrics shows the incident open and then closed.
/// </summary>
public sealed class AutoHealIsAnnouncedAndShownOnMetrics(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AKilledLiveContainerSendsFailingIncidentHealedRecoveredAndClosesTheIncidentOnMetrics()
    {
        await using var receiver = WebhookReceiver.Start();
        var url = receiver.NewSecretUrl("json", out var secret);
        await StartAsync(configure: c => c.WithChecksEvery(Interval).WithAutoHeal(2).WithPrometheus().WithWebhook(url, "Json"));
        await DeploySucceedsAsync(AppVariant.V1);
        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;
        await CheckReachesAsync($"app:{AppName}:live", CheckStatus.Ok, TimeSpan.FromSeconds(10));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var metricsUrl = $"http://127.0.0.1:{Config.PrometheusPort}/metrics";
        var healthy = await ScrapeUntilAsync(http, metricsUrl, text => text.Value("mizan_app_live_healthy", ("app", AppName)) == 1, "the live slot healthy");
        Assert.Equal(0, healthy.Value("mizan_incidents_open", ("app", AppName)));
        Assert.Equal("histogram", healthy.Types["mizan_check_duration_seconds"]);
        Assert.True(healthy.Find("mizan_check_duration_seconds_count").Sum(s => s.Value) > 0, "no check duration recorded");

        await DockerCli.KillAsync(Config.ContainerName(v2Slot), Token);

        var closed = await receiver.WaitForAsync(
            r => r.Kind == "IncidentClosed" && r.Json.GetProperty("app").GetString() == AppName,
            "IncidentClosed",
            Token,
            TimeSpan.FromSeconds(30));
        var kinds = receiver.Requests.Select(r => r.Kind).Where(k => k is "CheckFailing" or "IncidentOpened" or "AutoHealed" or "IncidentClosed").ToList();
        Output.WriteLine(receiver.Describe());
        var failing = kinds.IndexOf("CheckFailing");
        var opened = kinds.IndexOf("IncidentOpened");
        var healed = kinds.IndexOf("AutoHealed");
        Assert.True(
            failing >= 0 && opened > failing && healed > opened && kinds.IndexOf("IncidentClosed") > healed,
            $"failing, opened, healed, closed in that order; got {string.Join(", ", kinds)}");
        Assert.Contains(
            "standby",
            receiver.Requests[receiver.Requests.ToList().FindIndex(r => r.Kind == "AutoHealed")].Json.GetProperty("summary").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(AppName, closed.Json.GetProperty("app").GetString());
        await receiver.WaitForAsync(r => r.Kind == "CheckRecovered", "CheckRecovered of the live check", Token, TimeSpan.FromSeconds(15));

        var after = await ScrapeUntilAsync(
            http,
            metricsUrl,
            text => text.Value("mizan_incidents_open", ("app", AppName)) == 0 && text.Value("mizan_app_live_healthy", ("app", AppName)) == 1
                && text.Find("mizan_check_duration_seconds_count", ("status", "failing")).Sum(s => s.Value) > 0,
            "the incident closed, the live slot healthy again, and failing checks counted");
        Assert.Contains(after.Find("mizan_notification_deliveries_total"), s => s.Labels.GetValueOrDefault("outcome") == "delivered" && s.Value > 0);

        // The incident's recovery feeds the DORA figure as soon as it closes.
        var metrics = await Client.GetMetricsAsync(new GetMetricsRequest { App = AppName }, cancellationToken: Token);
        var recovery = metrics.Metrics.Single(m => m.Name == "failed_deployment_recovery_time");
        Assert.True(recovery.HasValue && recovery.SampleSize == 1 && recovery.Value > 0, recovery.ToString());

        // The webhook URL is a secret: the agent never logs it.
        Assert.DoesNotContain(secret, Agent.Output.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ServedAsync()).Status);
    }

    private async Task<PrometheusText> ScrapeUntilAsync(HttpClient http, string url, Func<PrometheusText, bool> condition, string what) =>
        await Eventually.ValueAsync(
            async token => PrometheusText.Parse(await http.GetStringAsync(url, token)),
            condition,
            TimeSpan.FromSeconds(20),
            last => $"{what} on {url}; last scrape:{Environment.NewLine}{last?.Text}",
            Token);
}
