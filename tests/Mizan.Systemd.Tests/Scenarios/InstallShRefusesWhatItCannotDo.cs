namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// On a machine without systemd and without Docker: install.sh refuses with a message saying what is wrong and what
/// to do, when not root, when systemd is not running (unless --no-start), and when Docker is missing (unless
/// --install-deps).
/// </summary>
public sealed class InstallShRefusesWhatItCannotDo(ITestOutputHelper output) : SystemdScenario(output)
{
    protected override bool BootSystemd => false;

    protected override bool MountDockerSocket => false;

    [Fact]
    public async Task Run()
    {
        var tarball = Machine.Release.InMachine(Machine.Release.Tarball);
        await Machine.MustAsync($"mkdir -p /root/r && tar -C /root/r -xzf {tarball} --strip-components=1 && chmod 755 /root /root/r", Cancellation);

        var notRoot = await Machine.ShAsync("setpriv --reuid=65534 --regid=65534 --clear-groups /root/r/install.sh", Cancellation);
        Assert.Equal(2, notRoot.ExitCode);
        Assert.Contains("run as root", notRoot.StandardError, StringComparison.Ordinal);

        var noSystemd = await Machine.ShAsync("/root/r/install.sh", Cancellation);
        Assert.Equal(2, noSystemd.ExitCode);
        Assert.Contains("systemd is not running", noSystemd.StandardError, StringComparison.Ordinal);
        Assert.Contains("--no-start", noSystemd.StandardError, StringComparison.Ordinal);

        var noDocker = await Machine.ShAsync("/root/r/install.sh --no-start", Cancellation);
        Assert.Equal(2, noDocker.ExitCode);
        Assert.Contains("missing: docker.io", noDocker.StandardError, StringComparison.Ordinal);
        Assert.Contains("--install-deps", noDocker.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Machine.ShAsync("id mizan-agent", Cancellation)).ExitCode);
    }
}
