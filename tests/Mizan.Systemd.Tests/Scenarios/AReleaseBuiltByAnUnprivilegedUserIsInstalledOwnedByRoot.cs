using Mizan.Systemd.Tests.Fixtures;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// packaging/build-release.sh run by an unprivileged user (uid 1001, a GitHub runner's, with umask 002) packs a tarball
/// whose entries are root's (0/0). install.sh from that tarball, and again from the builder's own staged tree (its
/// files owned by 1001 and group-writable), leaves every file under /opt/mizan, the units and the /usr/local/bin links
/// owned by root:root with no group or other write. The mizanctl hash the build wrote is the installed mizanctl's.
/// </summary>
public sealed class AReleaseBuiltByAnUnprivilegedUserIsInstalledOwnedByRoot(ITestOutputHelper output) : SystemdScenario(output)
{
    private const string Build = "/var/tmp/mizan-build";
    private const string Builder = "1001";

    /// <summary>The mode bits 0022.</summary>
    private const int GroupOrOtherWrite = 0b000_010_010;

    /// <summary>What build-release.sh packs from a checkout.</summary>
    private static readonly string[] CheckoutPaths =
    [
        "Directory.Build.props", "README.md", "install.sh", "docs", "systemd",
        "packaging/build-release.sh", "packaging/agent.default.json", "packaging/agent.example.json", "packaging/libexec",
    ];

    [Fact]
    public async Task Run()
    {
        // The builder's checkout and the suite's binaries (MIZAN_PREBUILT_BIN: no SDK in the machine), all the builder's.
        await Machine.MustAsync($"mkdir -p {Build}/src/packaging", Cancellation);
        foreach (var path in CheckoutPaths)
        {
            await Machine.CopyIntoAsync(Repository.PathOf(path), $"{Build}/src/{path}", Cancellation);
        }

        await Machine.MustAsync(
            $"cp -R /release/mizan-agent-*-linux-x64/bin {Build}/bin && chown -R {Builder}:{Builder} {Build} && chmod -R g+w {Build}",
            Cancellation);
        var build = await Machine.MustAsync(
            $"cd {Build} && setpriv --reuid={Builder} --regid={Builder} --clear-groups env MIZAN_PREBUILT_BIN={Build}/bin " +
            "bash -c 'umask 002 && src/packaging/build-release.sh --no-deb --out out' 2>&1",
            Cancellation,
            TimeSpan.FromMinutes(3));
        var stage = await Machine.MustAsync($"ls -d {Build}/out/mizan-agent-*-linux-x64", Cancellation);
        // What was packed really was the builder's, and group-writable: otherwise what follows would prove nothing.
        Assert.Equal($"{Builder}:{Builder} 775", await Machine.MustAsync($"stat -c '%u:%g %a' {stage}/bin/mizanctl", Cancellation));
        Assert.Equal("0/0", await Machine.MustAsync($"tar --numeric-owner -tvzf {stage}.tar.gz | awk '{{print $2}}' | sort -u", Cancellation));

        // The build wrote the hashes (sha256sum -c reads them) and printed the one the GitHub action pins.
        await Machine.MustAsync($"cd {Build}/out && sha256sum --check --strict {stage}.sha256", Cancellation);
        var mizanctlHash = await Machine.MustAsync($"grep ' mizan-agent-[^/]*/bin/mizanctl$' {stage}.sha256 | cut -d' ' -f1", Cancellation);
        Assert.Matches("^[0-9a-f]{64}$", mizanctlHash);
        Assert.Contains(mizanctlHash, build, StringComparison.Ordinal);

        // A download: the tarball with install.sh beside it (install.sh unpacks the tarball itself).
        (await Machine.ShAsync(
            $"mkdir -p /root/download && cp {stage}.tar.gz /root/download/ && " +
            "tar -xzf /root/download/*.tar.gz -C /root/download --strip-components=1 --wildcards '*/install.sh' && /root/download/install.sh",
            Cancellation,
            TimeSpan.FromMinutes(3))).EnsureSuccess();
        await AssertEveryInstalledFileIsRootsAsync();
        Assert.Equal(mizanctlHash, await Machine.MustAsync("sha256sum /opt/mizan/current/mizanctl | cut -d' ' -f1", Cancellation));

        // The builder's staged tree, installed as it lies (bin/ beside install.sh), still owned by 1001.
        (await Machine.ShAsync($"{stage}/install.sh", Cancellation, TimeSpan.FromMinutes(3))).EnsureSuccess();
        Assert.Equal("2", await Machine.MustAsync("ls /opt/mizan/releases | wc -l", Cancellation));
        await AssertEveryInstalledFileIsRootsAsync();
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
    }

    private async Task AssertEveryInstalledFileIsRootsAsync()
    {
        var listing = await Machine.MustAsync(
            "find /opt/mizan /etc/systemd/system/mizan-agent.service /etc/systemd/system/mizan-nginx-control.socket " +
            "/etc/systemd/system/mizan-nginx-control@.service /usr/local/bin/mizanctl /usr/local/bin/mizan-agent -printf '%u:%g %m %y %p\\n'",
            Cancellation);
        var entries = listing.Split('\n').Select(line => line.Split(' ', 4)).ToList();
        foreach (var binary in new[] { "/mizan-agent", "/mizanctl", "/libe_sqlite3.so" })
        {
            Assert.Contains(entries, entry => entry[2] == "f"
                && entry[3].StartsWith("/opt/mizan/releases/", StringComparison.Ordinal)
                && entry[3].EndsWith(binary, StringComparison.Ordinal));
        }

        // A symbolic link's own mode is always 0777 and means nothing; its owner and what it points at are checked.
        var offenders = entries
            .Where(entry => entry[0] != "root:root" || (entry[2] != "l" && (Convert.ToInt32(entry[1], 8) & GroupOrOtherWrite) != 0))
            .Select(entry => string.Join(' ', entry));
        Assert.Empty(offenders);
        Assert.Equal(
            "/opt/mizan/current/mizanctl /opt/mizan/current/mizan-agent",
            await Machine.MustAsync("echo $(readlink /usr/local/bin/mizanctl /usr/local/bin/mizan-agent)", Cancellation));
    }
}
