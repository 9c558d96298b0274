namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>`install.sh --uninstall` removes the service and binaries and keeps configuration and data; --purge removes those too.</summary>
public sealed class UninstallKeepsTheDataUnlessPurged(ITestOutputHelper output) : SystemdScenario(output)
{
    /// <summary>The install.sh of the first download (each install downloads into a directory of its own).</summary>
    private const string InstallSh = "$(ls -d /root/download-* | head -n 1)/install.sh";

    [Fact]
    public async Task Run()
    {
        (await InstallFromTarballAsync()).EnsureSuccess();
        await Machine.MustAsync("test -f /var/lib/mizan-agent/agent.db", Cancellation);

        var uninstall = await Machine.ShAsync(InstallSh + " --uninstall", Cancellation);
        uninstall.EnsureSuccess();
        Assert.Contains("kept /etc/mizan-agent", uninstall.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Machine.ShAsync("systemctl cat mizan-agent", Cancellation)).ExitCode);
        Assert.NotEqual(0, (await Machine.ShAsync("test -e /opt/mizan/current || test -e /usr/local/bin/mizanctl", Cancellation)).ExitCode);
        await Machine.MustAsync("test -f /etc/mizan-agent/agent.json && test -f /var/lib/mizan-agent/agent.db && id mizan-agent", Cancellation);

        // Installing again finds the kept history and configuration.
        (await InstallFromTarballAsync()).EnsureSuccess();
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));

        (await Machine.ShAsync(InstallSh + " --uninstall --purge", Cancellation)).EnsureSuccess();
        Assert.NotEqual(0, (await Machine.ShAsync("test -e /etc/mizan-agent || test -e /var/lib/mizan-agent || id mizan-agent", Cancellation)).ExitCode);
    }
}
