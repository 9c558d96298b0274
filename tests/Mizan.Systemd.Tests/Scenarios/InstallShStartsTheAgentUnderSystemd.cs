using System.Diagnostics;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// install.sh from a release tarball on a fresh systemd machine: the user, groups and directories with their modes, a
/// commented default configuration (Traffic:Mode Redirect, nftables being there), the hardened unit active under its
/// own user with CAP_NET_ADMIN and nothing else, `systemd-analyze verify` clean and `systemd-analyze security` rating it
/// OK or better, the thumbprint and next steps printed; run again, it keeps the
/// configuration.
/// </summary>
public sealed class InstallShStartsTheAgentUnderSystemd(ITestOutputHelper output) : SystemdScenario(output)
{
    [Fact]
    public async Task Run()
    {
        var watch = Stopwatch.StartNew();
        var install = await InstallFromTarballAsync();
        Output.WriteLine($"MEASURED install.sh from the tarball: {watch.ElapsedMilliseconds} ms");
        install.EnsureSuccess();
        Assert.Contains("wrote /etc/mizan-agent/agent.json", install.Output, StringComparison.Ordinal);
        Assert.Matches("thumbprint[^\n]*: [0-9a-f]{64}", install.Output);
        Assert.Contains("Next steps", install.Output, StringComparison.Ordinal);
        // The machine has nftables (InstallShChoosesTheTrafficModeByWhetherNftablesIsThere covers the choice).
        Assert.Contains("Traffic:Mode Redirect", install.Output, StringComparison.Ordinal);

        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
        // /proc/PID belongs to the process's user and group (ps would cut "mizan-agent" to 8 characters).
        Assert.Equal("mizan-agent mizan", await Machine.MustAsync("stat -c '%U %G' /proc/$(systemctl show -P MainPID mizan-agent)", Cancellation));
        var groups = await Machine.MustAsync("id -nG mizan-agent", Cancellation);
        Assert.Contains("docker", groups, StringComparison.Ordinal);
        Assert.Contains(
            await Machine.MustAsync("getent group $(stat -c %g /var/run/docker.sock) | cut -d: -f1", Cancellation),
            groups,
            StringComparison.Ordinal);
        Assert.Equal(
            "750 root:mizan /etc/mizan-agent\n640 root:mizan /etc/mizan-agent/agent.json\n"
            + "750 mizan-agent:mizan /var/lib/mizan-agent\n750 mizan-agent:mizan /var/log/mizan-agent\n"
            + "755 mizan-agent:mizan /etc/nginx/mizan",
            await Machine.MustAsync(
                "stat -c '%a %U:%G %n' /etc/mizan-agent /etc/mizan-agent/agent.json /var/lib/mizan-agent /var/log/mizan-agent /etc/nginx/mizan",
                Cancellation));
        Assert.StartsWith(
            "// mizan-agent configuration",
            await Machine.MustAsync("head -n 1 /etc/mizan-agent/agent.json", Cancellation),
            StringComparison.Ordinal);

        Assert.Matches(@"^mizan-agent \d+\.\d+\.\d+\+[0-9a-f]{7,}", await Machine.MustAsync("mizan-agent --version", Cancellation));
        Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{7,}", await Machine.MustAsync("mizanctl --version", Cancellation));
        await Machine.MustAsync("mizanctl status", Cancellation);

        var verify = await Machine.ShAsync(
            "systemd-analyze verify mizan-agent.service mizan-nginx-control.socket mizan-nginx-control@.service 2>&1",
            Cancellation);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal("", verify.Output.Trim());
        // One capability, for the nftables table of Traffic:Mode Redirect, and netlink to reach it.
        var sandbox = (await Machine.MustAsync("systemctl show -p AmbientCapabilities,CapabilityBoundingSet,RestrictAddressFamilies mizan-agent", Cancellation))
            .Split('\n')
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal("cap_net_admin", sandbox["CapabilityBoundingSet"]);
        Assert.Equal("cap_net_admin", sandbox["AmbientCapabilities"]);
        Assert.Equal(["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"], sandbox["RestrictAddressFamilies"].Split(' ').Order(StringComparer.Ordinal));
        var security = await Machine.ShAsync("systemd-analyze security --no-pager mizan-agent.service | tail -n 1", Cancellation);
        Output.WriteLine($"MEASURED {security.StandardOutput.Trim()}");
        Assert.Matches(@"Overall exposure level for mizan-agent\.service: \d+\.\d+ (OK|SAFE|PERFECT)\b", security.StandardOutput);

        // Time to ready (Type=notify: restart returns after READY=1), and idle memory.
        watch.Restart();
        await Machine.MustAsync("systemctl restart mizan-agent", Cancellation);
        Output.WriteLine($"MEASURED systemctl restart until READY=1: {watch.ElapsedMilliseconds} ms");
        var started = await Machine.MustAsync(
            "systemctl show -P ExecMainStartTimestampMonotonic mizan-agent; systemctl show -P ActiveEnterTimestampMonotonic mizan-agent",
            Cancellation);
        var stamps = started.Split('\n').Select(long.Parse).ToArray();
        Output.WriteLine($"MEASURED exec to READY=1 (systemd's own timestamps): {(stamps[1] - stamps[0]) / 1000} ms");
        Output.WriteLine($"MEASURED idle RSS: {await Machine.MustAsync("sleep 3; ps -o rss= -p $(systemctl show -P MainPID mizan-agent)", Cancellation)} KiB");

        // Again: an upgrade in place that keeps the configuration (and says so).
        await Machine.MustAsync("echo '// edited by the admin' >> /etc/mizan-agent/agent.json", Cancellation);
        var again = await InstallFromTarballAsync();
        again.EnsureSuccess();
        Assert.Contains("kept /etc/mizan-agent/agent.json", again.Output, StringComparison.Ordinal);
        Assert.Equal("// edited by the admin", await Machine.MustAsync("tail -n 1 /etc/mizan-agent/agent.json", Cancellation));
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
    }
}
