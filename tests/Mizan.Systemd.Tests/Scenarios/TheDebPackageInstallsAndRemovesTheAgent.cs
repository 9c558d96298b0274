namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// The .deb: it recommends nftables (not depends); `dpkg -i` installs and starts the agent (its postinst is install.sh,
/// which writes Traffic:Mode Redirect here); `dpkg -r` stops and removes it but keeps the data; `dpkg -P` purges.
/// </summary>
public sealed class TheDebPackageInstallsAndRemovesTheAgent(ITestOutputHelper output) : SystemdScenario(output)
{
    [Fact]
    public async Task Run()
    {
        var deb = Machine.Release.InMachine(Machine.Release.Deb);
        // nftables is recommended, not required: without it install.sh writes Traffic:Mode Reload.
        Assert.Contains("nftables", await Machine.MustAsync($"dpkg-deb --field {deb} Recommends", Cancellation), StringComparison.Ordinal);
        Assert.DoesNotContain("nftables", await Machine.MustAsync($"dpkg-deb --field {deb} Depends", Cancellation), StringComparison.Ordinal);
        await Machine.MustAsync($"dpkg -i {deb}", Cancellation, TimeSpan.FromMinutes(3));
        // Its postinst is install.sh, which found nftables in the machine.
        await Machine.MustAsync("grep -q '\"Mode\": \"Redirect\"' /etc/mizan-agent/agent.json", Cancellation);
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
        Assert.Contains("install ok installed", await Machine.MustAsync("dpkg-query -W -f '${Status}' mizan-agent", Cancellation), StringComparison.Ordinal);
        await Machine.MustAsync("mizanctl status", Cancellation);

        await Machine.MustAsync("dpkg -r mizan-agent", Cancellation, TimeSpan.FromMinutes(2));
        Assert.NotEqual("active", (await Machine.ShAsync("systemctl is-active mizan-agent", Cancellation)).StandardOutput.Trim());
        await Machine.MustAsync("test -f /etc/mizan-agent/agent.json && test -f /var/lib/mizan-agent/agent.db", Cancellation);
        Assert.NotEqual(0, (await Machine.ShAsync("test -e /opt/mizan/package || test -e /opt/mizan/current", Cancellation)).ExitCode);

        await Machine.MustAsync("dpkg -P mizan-agent", Cancellation, TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, (await Machine.ShAsync("test -e /etc/mizan-agent || test -e /var/lib/mizan-agent || id mizan-agent", Cancellation)).ExitCode);
    }
}
