using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Runtime.Traffic;

/// <summary>HelperNginxControl against a real unix stream socket answering as mizan-nginx-control does.</summary>
public sealed class HelperNginxControlSocketTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-helper-").FullName;

    private string SocketPath => Path.Combine(directory, "helper.sock");

    [Fact]
    public async Task ATestSendsTheWordAndReadsNginxOutputAndTheExitCode()
    {
        var asked = ServeOnce("nginx: [emerg] unknown directive \"x\"\nnginx: configuration file test failed\nexit=1\n");
        var control = Control();

        var result = await control.TestConfigurationAsync(CancellationToken.None);

        Assert.Equal("test", await asked);
        Assert.False(result.Valid);
        Assert.Contains("unknown directive", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedReloadIsAnErrorWithNginxOutput()
    {
        var asked = ServeOnce("nginx: [error] invalid PID number \"\" in \"/run/nginx.pid\"\nexit=1\n");

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Control().ReloadAsync(CancellationToken.None));

        Assert.Equal("reload", await asked);
        Assert.Contains("invalid PID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMasterStateAsync_HelperSeesTheMaster_Running()
    {
        var asked = ServeOnce("nginx master process 812 is running\nexit=0\n");

        var state = await Control().GetMasterStateAsync(CancellationToken.None);

        Assert.Equal("master", await asked);
        Assert.True(state.Running);
        Assert.Contains("812", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMasterStateAsync_NoMaster_NotRunningWithTheHelpersReason()
    {
        var asked = ServeOnce("no nginx master process (pid file /run/nginx.pid: missing); start nginx (systemctl start nginx)\nexit=1\n");

        var state = await Control().GetMasterStateAsync(CancellationToken.None);

        Assert.Equal("master", await asked);
        Assert.False(state.Running);
        Assert.Contains("systemctl start nginx", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMasterStateAsync_NoHelper_NotRunningInsteadOfThrowing()
    {
        var state = await Control().GetMasterStateAsync(CancellationToken.None);

        Assert.False(state.Running);
        Assert.NotEmpty(state.Message);
    }

    [Fact]
    public async Task NoHelperSaysHowToEnableIt()
    {
        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Control().EnsureReachableAsync(CancellationToken.None));

        Assert.Contains("systemctl enable --now mizan-nginx-control.socket", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private HelperNginxControl Control() =>
        new(Options.Create(new AgentOptions { Nginx = new NginxOptions { Mode = NginxMode.Helper, HelperSocket = SocketPath } }));

    /// <summary>Accepts one connection, reads the request line, answers, closes; returns the request word.</summary>
    private Task<string> ServeOnce(string reply)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(1);
        return Task.Run(async () =>
        {
            using (listener)
            {
                using var connection = await listener.AcceptAsync();
                var buffer = new byte[64];
                var request = new StringBuilder();
                int read;
                while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await connection.SendAsync(Encoding.UTF8.GetBytes(reply), SocketFlags.None);
                return request.ToString().Trim();
            }
        });
    }
}
