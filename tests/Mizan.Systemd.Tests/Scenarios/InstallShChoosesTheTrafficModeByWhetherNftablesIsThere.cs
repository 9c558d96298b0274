using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// The configuration install.sh writes: with nftables in the machine, Traffic:Mode Redirect, and the example app's
/// Upstream:FrontPort on a block of 11 ports with no listener (a port listened on in the first block moves it to a
/// later one); the agent starts in that mode under the unit and reads the kernel's nftables without an error. Without
/// nft, after a purge, Reload, and install.sh says how to get the other mode.
/// </summary>
public sealed partial class InstallShChoosesTheTrafficModeByWhetherNftablesIsThere(ITestOutputHelper output) : SystemdScenario(output)
{
    private const int Listened = 18095;

    [Fact]
    public async Task Run()
    {
        // The machine shares the host's network, so a listener here is one install.sh sees with `ss -ltn`. When the
        // bind fails something else already listens there, which serves as well.
        using var listener = new TcpListener(IPAddress.Loopback, Listened);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            Output.WriteLine($"127.0.0.1:{Listened} is already listened on ({ex.SocketErrorCode}); install.sh must skip it all the same");
        }

        Assert.Equal("yes", await Machine.MustAsync("command -v nft >/dev/null && ldconfig -p | grep -q 'libnftables.so.1 ' && echo yes", Cancellation));
        Assert.Contains($":{Listened} ", await Machine.MustAsync("ss -Hltn", Cancellation), StringComparison.Ordinal);
        var install = await InstallFromTarballAsync();
        install.EnsureSuccess();
        Assert.Contains("Traffic:Mode Redirect: nftables is here", install.Output, StringComparison.Ordinal);
        var written = await Machine.MustAsync("cat /etc/mizan-agent/agent.json", Cancellation);
        Assert.Matches("\"Traffic\": \\{\\s*\"Mode\": \"Redirect\"\\s*\\}", written);
        var frontPort = int.Parse(FrontPort().Match(written).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Output.WriteLine($"install.sh chose FrontPort {frontPort} ({frontPort}-{frontPort + 10}) with 127.0.0.1:{Listened} listened on");
        Assert.True(frontPort >= 18101 && (frontPort - 18090) % 11 == 0, $"FrontPort {frontPort} is a later block than the listened-on 18090-18100");
        Assert.Contains($"nothing listened on {frontPort}-{frontPort + 10}", written, StringComparison.Ordinal);
        Assert.Contains($"the example's {frontPort}-{frontPort + 10} are free", install.Output, StringComparison.Ordinal);

        // The agent runs in that mode under the unit: it loaded libnftables and, with CAP_NET_ADMIN, read its (absent)
        // table at start without an error; with no apps it writes none.
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
        await Machine.MustAsync("mizanctl status", Cancellation);
        // (Other errors may be there: machines in parallel share the host's port 9464 for Prometheus.)
        var errors = await Machine.MustAsync("journalctl -u mizan-agent --no-pager -o cat -p err", Cancellation);
        Assert.DoesNotContain("nftables", errors, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("could not be restored", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation not permitted", errors, StringComparison.Ordinal);

        // No nft: purged and installed again, the new configuration says Reload, and install.sh says why.
        listener.Stop();
        await Machine.MustAsync("$(ls -d /root/download-* | head -n 1)/install.sh --uninstall --purge", Cancellation);
        await Machine.MustAsync("mv /usr/sbin/nft /root/nft.hidden", Cancellation);
        var withoutNft = await InstallFromTarballAsync();
        withoutNft.EnsureSuccess();
        Assert.Contains("Traffic:Mode Reload: no nftables here", withoutNft.Output, StringComparison.Ordinal);
        Assert.Contains("apt-get install nftables", withoutNft.Output, StringComparison.Ordinal);
        Assert.Matches("\"Traffic\": \\{\\s*\"Mode\": \"Reload\"\\s*\\}", await Machine.MustAsync("cat /etc/mizan-agent/agent.json", Cancellation));
        Assert.Equal("active", await Machine.MustAsync("systemctl is-active mizan-agent", Cancellation));
    }

    [GeneratedRegex("\"FrontPort\": (\\d+)")]
    private static partial Regex FrontPort();
}
