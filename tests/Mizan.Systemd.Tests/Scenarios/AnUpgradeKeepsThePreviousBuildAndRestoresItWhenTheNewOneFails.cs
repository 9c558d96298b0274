using Mizan.Systemd.Tests.Fixtures;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// Running install.sh again upgrades: the new build becomes current, the previous one is kept, the history stays.
/// An upgrade to a build that does not become ready puts the previous build back, says so and exits 1.
/// </summary>
public sealed class AnUpgradeKeepsThePreviousBuildAndRestoresItWhenTheNewOneFails(ITestOutputHelper output) : SystemdScenario(output)
{
    [Fact]
    public async Task Run()
    {
        var site = await SampleSite.PrepareAsync(Machine, Cancellation);
        (await InstallFromTarballAsync()).EnsureSuccess();
        var deployment = await DeployAsync(site, "v1");
        var firstRelease = await Machine.MustAsync("readlink -f /opt/mizan/current", Cancellation);

        // The upgrade, unpacked and run from the release directory (bin/ beside install.sh).
        var upgrade = await Machine.ShAsync(
            $"mkdir -p /root/upgrade && tar -C /root/upgrade -xzf {Machine.Release.InMachine(Machine.Release.Tarball)} "
            + "&& /root/upgrade/mizan-agent-*/install.sh",
            Cancellation,
            TimeSpan.FromMinutes(3));
        upgrade.EnsureSuccess();
        var secondRelease = await Machine.MustAsync("readlink -f /opt/mizan/current", Cancellation);
        Assert.NotEqual(firstRelease, secondRelease);
        Assert.Equal(firstRelease, await Machine.MustAsync("readlink -f /opt/mizan/previous", Cancellation));
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
        Assert.Contains(deployment, await Machine.MustAsync($"mizanctl history --app {site.App}", Cancellation), StringComparison.Ordinal);

        // A build that crashes at start: refused, and the running build is put back.
        var broken = await InstallFromTarballAsync(Machine.Release.BrokenTarball);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("upgrade to mizan-agent 9.9.9+broken failed", broken.Output, StringComparison.Ordinal);
        Assert.Contains("is back and running", broken.Output, StringComparison.Ordinal);
        Assert.Equal(secondRelease, await Machine.MustAsync("readlink -f /opt/mizan/current", Cancellation));
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
        Assert.DoesNotContain("9.9.9", await Machine.MustAsync("mizan-agent --version", Cancellation), StringComparison.Ordinal);
        await DeployAsync(site, "v2");
        Assert.Equal("v2", await ServedVersionAsync(site));
    }
}
