using Mizan.Systemd.Tests.Fixtures;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// The agent, running as its own user, deploys through the host's Docker engine and switches the machine's nginx
/// through the root helper; the deploy is in the journal under its id with the right priorities; `systemctl reload`
/// re-reads the configuration (a bad file changes nothing); `systemctl restart` keeps the deployment history.
/// </summary>
public sealed class DeploysAreInTheJournalAndSurviveReloadAndRestart(ITestOutputHelper output) : SystemdScenario(output)
{
    [Fact]
    public async Task Run()
    {
        var site = await SampleSite.PrepareAsync(Machine, Cancellation);
        (await InstallFromTarballAsync()).EnsureSuccess();

        var first = await DeployAsync(site, "v1");
        Assert.Equal("v1", await ServedVersionAsync(site));
        var second = await DeployAsync(site, "v2");
        Assert.Equal("v2", await ServedVersionAsync(site));

        // The self-checks see Docker, the disks, the app and nginx (its master through the root helper) from inside
        // the hardened unit: nothing fails (exit 0), and the nginx master is found.
        await Eventually.TrueAsync("mizanctl health to pass", TimeSpan.FromSeconds(45), async () =>
            (await Machine.ShAsync("mizanctl health", Cancellation)).ExitCode == 0);
        var health = await Machine.MustAsync("mizanctl health", Cancellation);
        Assert.Contains("master process", health, StringComparison.Ordinal);

        // The journal: the whole deploy under its id, at info priority; only warnings and worse under -p warning.
        var deployLines = await Machine.MustAsync($"journalctl -u mizan-agent --no-pager -o cat --grep {second}", Cancellation);
        Assert.Contains($"Deploy {second} of {site.App}", deployLines, StringComparison.Ordinal);
        Assert.Contains($"Switched {site.App} to slot green", deployLines, StringComparison.Ordinal);
        Assert.Contains("ended Succeeded", deployLines, StringComparison.Ordinal);
        var infoPriorities = await Machine.MustAsync(
            $"journalctl -u mizan-agent --no-pager -o json --grep {second} | grep -o '\"PRIORITY\":\"[0-9]\"' | sort -u",
            Cancellation);
        Assert.Equal("\"PRIORITY\":\"6\"", infoPriorities);
        var warnings = await Machine.MustAsync("journalctl -u mizan-agent --no-pager -o cat -p warning", Cancellation);
        Assert.DoesNotContain(second, warnings, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on unix", warnings, StringComparison.Ordinal);

        // Reload with a changed key that needs a restart: named as a warning (priority 4), the agent stays up.
        await Machine.WriteFileAsync("/etc/mizan-agent/agent.json", site.AgentConfiguration(pullTimeout: "00:07:00"), Cancellation);
        var pid = await Machine.AgentPidAsync(Cancellation);
        await Machine.MustAsync("systemctl reload mizan-agent", Cancellation);
        await Eventually.TrueAsync("the reload is logged", TimeSpan.FromSeconds(20), async () =>
            (await Machine.ShAsync("journalctl -u mizan-agent --no-pager -o cat -p warning --grep 'Agent:PullTimeout'", Cancellation)).ExitCode == 0);
        Assert.Equal(pid, await Machine.AgentPidAsync(Cancellation));

        // Reload with an invalid file: logged as an error, the running configuration stays, the agent stays up.
        await Machine.WriteFileAsync("/etc/mizan-agent/agent.json", "{ \"Agent\": { \"NoSuchKey\": 1 } }", Cancellation);
        await Machine.MustAsync("systemctl reload mizan-agent", Cancellation);
        await Eventually.TrueAsync("the refused reload is logged as an error", TimeSpan.FromSeconds(20), async () =>
            (await Machine.ShAsync("journalctl -u mizan-agent --no-pager -o cat -p err --grep 'NoSuchKey'", Cancellation)).ExitCode == 0);
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
        await Machine.WriteFileAsync("/etc/mizan-agent/agent.json", site.AgentConfiguration(), Cancellation);

        // Restart: the history is still there, and deploys go on.
        await Machine.MustAsync("systemctl restart mizan-agent", Cancellation);
        Assert.NotEqual(pid, await Machine.AgentPidAsync(Cancellation));
        var history = await Machine.MustAsync($"mizanctl history --app {site.App}", Cancellation);
        Assert.Contains(first, history, StringComparison.Ordinal);
        Assert.Contains(second, history, StringComparison.Ordinal);
        await DeployAsync(site, "v1");
        Assert.Equal("v1", await ServedVersionAsync(site));
    }
}
