using System.Text.Json;
using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class MizanctlHealthShowsEveryCheck(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task EveryCheckIsListedWithItsAgeAndAFailingOneMakesItExitOne()
    {
        // Auto-heal off: the failure below stays, so the exit code and the app's gRPC health can be seen failing.
        await StartAsync(configure: c => c.WithChecksEvery(Interval).WithAutoHeal(2, enabled: false));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await Eventually.ValueAsync(
            _ => AppServingStatusAsync(),
            status => status == HealthCheckResponse.Types.ServingStatus.NotServing,
            TimeSpan.FromSeconds(10),
            status => $"a never-deployed app to be NOT_SERVING, is {status}",
            Token));
        var never = await CheckReachesAsync($"app:{AppName}:live", CheckStatus.Ok, TimeSpan.FromSeconds(10));
        Assert.Contains("never switched live", never.Message, StringComparison.Ordinal);

        var slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        await Eventually.TrueAsync(
            async _ => (await CheckAsync($"app:{AppName}:live"))?.Message.Contains($"slot {slot}", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(10),
            () => "the live check to probe the deployed slot",
            Token);
        await AppServingReachesAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(15));
        var dockerRoot = await DockerCli.RunAsync(["info", "--format", "{{.DockerRootDir}}"], Token);

        var text = await Ctl.RunAsync(["health"], Token);
        Output.WriteLine(text.ToString());
        Assert.True(text.ExitCode == 0, text.ToString());
        foreach (var name in new[]
        {
            "docker", "nginx", $"disk:{dockerRoot}", $"disk:{Config.DataDirectory}",
            $"app:{AppName}:live", $"app:{AppName}:live-via-nginx", $"app:{AppName}:standby"
        })
        {
            Assert.Contains(name, text.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("AGE", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("All checks pass", text.StandardOutput, StringComparison.Ordinal);

        var json = await Ctl.RunAsync(["health", "--app", AppName, "--output", "json"], Token);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.StandardOutput))
        {
            var checks = document.RootElement.GetProperty("checks").EnumerateArray().ToList();
            Assert.Contains(
                checks,
                c => c.GetProperty("name").GetString() == $"app:{AppName}:live" && c.GetProperty("status").GetString() == "CHECK_STATUS_OK");
            Assert.Contains(checks, c => c.GetProperty("name").GetString() == "docker");
            Assert.All(checks, c => Assert.True(c.TryGetProperty("at", out _) && c.TryGetProperty("statusSince", out _), c.ToString()));
        }

        await DockerCli.KillAsync(Config.ContainerName(slot), Token);
        var failing = await Eventually.ValueAsync(
            _ => Ctl.RunAsync(["health", "--app", AppName], Token),
            result => result.ExitCode == 1 && result.StandardOutput.Contains("Open incidents:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15),
            result => $"`mizanctl health` to exit 1 with an open incident; last: {result}",
            Token);
        Output.WriteLine(failing.ToString());
        Assert.Contains("FAILING", failing.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await AppServingStatusAsync());
        var incident = Assert.Single((await HealthAsync(AppName)).OpenIncidents);
        Assert.Contains($"slot {slot}", incident.Reason, StringComparison.Ordinal);
        Assert.False((await ContainerAsync(slot))!.Running, "auto-heal is off: nothing restarts the container");
    }
}
