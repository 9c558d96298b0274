using System.Diagnostics;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// `kill -9` of the agent: systemd starts it again (Restart=on-failure). A hung agent (SIGSTOP: it stops sending
/// WATCHDOG=1) is aborted by the watchdog after WatchdogSec and started again.
/// </summary>
public sealed class SystemdRestartsAKilledOrHungAgent(ITestOutputHelper output) : SystemdScenario(output)
{
    [Fact]
    public async Task Run()
    {
        (await InstallFromTarballAsync()).EnsureSuccess();

        var killed = await Machine.AgentPidAsync(Cancellation);
        var watch = Stopwatch.StartNew();
        await Machine.MustAsync($"kill -9 {killed}", Cancellation);
        await WaitForANewActiveAgentAsync(killed, TimeSpan.FromSeconds(30));
        Output.WriteLine($"MEASURED kill -9 until active again: {watch.ElapsedMilliseconds} ms (RestartSec=2s)");

        var hung = await Machine.AgentPidAsync(Cancellation);
        watch.Restart();
        await Machine.MustAsync($"kill -STOP {hung}", Cancellation);
        await WaitForANewActiveAgentAsync(hung, TimeSpan.FromSeconds(60));
        Output.WriteLine($"MEASURED SIGSTOP until active again: {watch.ElapsedMilliseconds} ms (WatchdogSec=10s, RestartSec=2s)");
        var journal = await Machine.MustAsync("journalctl -u mizan-agent --no-pager -o cat | grep -i watchdog", Cancellation);
        Assert.Contains("Watchdog timeout", journal, StringComparison.OrdinalIgnoreCase);
        await Machine.MustAsync("mizanctl status", Cancellation);
    }

    private Task<TimeSpan> WaitForANewActiveAgentAsync(int oldPid, TimeSpan deadline) =>
        Eventually.TrueAsync($"a new agent replaces pid {oldPid}", deadline, async () =>
        {
            var state = await Machine.ShAsync("systemctl is-active mizan-agent; systemctl show -P MainPID mizan-agent", Cancellation);
            var lines = state.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 2
                && lines[0] == "active"
                && lines[1] != "0"
                && lines[1] != oldPid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }, TimeSpan.FromMilliseconds(250));
}
