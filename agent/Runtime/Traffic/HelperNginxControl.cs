using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// The host's nginx, tested and reloaded by a root helper (systemd/mizan-nginx-control@.service, one instance per
/// connection to Nginx:HelperSocket). The agent runs as an unprivileged user: `nginx -t` must open root's pid and log
/// files and `nginx -s reload` signals root's master, so neither works as that user, and NoNewPrivileges rules out
/// sudo. The helper runs exactly two fixed commands, chosen by one word; nothing the agent sends reaches a shell.
/// </summary>
/// <remarks>Protocol: send "test\n", "reload\n" or "master\n" (whether the master runs); read nginx's output to the end; the last line is "exit=N".</remarks>
public sealed class HelperNginxControl(IOptions<AgentOptions> options) : INginxControl
{
    private NginxOptions Nginx => options.Value.Nginx;

    public Task EnsureReachableAsync(CancellationToken cancellationToken) =>
        File.Exists(Nginx.HelperSocket)
            ? Task.CompletedTask
            : throw new DependencyUnavailableException(
                $"the nginx helper socket {Nginx.HelperSocket} does not exist; " +
                    "enable it with `systemctl enable --now mizan-nginx-control.socket` (install.sh does)");

    public async Task<NginxTestResult> TestConfigurationAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await AskAsync("test", cancellationToken);
        return new NginxTestResult(exitCode == 0, output);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await AskAsync("reload", cancellationToken);
        if (exitCode != 0)
        {
            throw new DependencyUnavailableException($"nginx reload failed: {output}; is the nginx master running? check `systemctl status nginx`");
        }
    }

    public async Task<NginxMasterState> GetMasterStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (exitCode, output) = await AskAsync("master", cancellationToken);
            return new NginxMasterState(exitCode == 0, output);
        }
        catch (DependencyUnavailableException ex)
        {
            return new NginxMasterState(false, ex.Message);
        }
    }

    private async Task<(int ExitCode, string Output)> AskAsync(string verb, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Nginx.CommandTimeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        string reply;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Nginx.HelperSocket), deadline.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(verb + "\n"), SocketFlags.None, deadline.Token);
            socket.Shutdown(SocketShutdown.Send);
            reply = await ReadToEndAsync(socket, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(
                $"the nginx helper did not answer '{verb}' within {Nginx.CommandTimeout.TotalSeconds:0} s; see `journalctl -u 'mizan-nginx-control@*'`");
        }
        catch (SocketException ex)
        {
            throw new DependencyUnavailableException(
                $"the nginx helper at {Nginx.HelperSocket} refused the connection " +
                    $"({ex.SocketErrorCode}); is mizan-nginx-control.socket active, and is the agent's user in the socket's group?",
                ex);
        }

        return Parse(verb, reply);
    }

    private static async Task<string> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var reply = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            await reply.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
    }

    /// <summary>Splits the helper's reply into nginx's output and the exit code on its last line.</summary>
    public static (int ExitCode, string Output) Parse(string verb, string reply)
    {
        var trimmed = reply.TrimEnd();
        var lastBreak = trimmed.LastIndexOf('\n');
        var lastLine = lastBreak < 0 ? trimmed : trimmed[(lastBreak + 1)..];
        var output = lastBreak < 0 ? "" : trimmed[..lastBreak].Trim();
        if (lastLine.StartsWith("exit=", StringComparison.Ordinal)
            && int.TryParse(lastLine.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var exitCode))
        {
            return (exitCode, output);
        }

        throw new DependencyUnavailableException($"the nginx helper's answer to '{verb}' has no exit code (was it cut off?): {trimmed}");
    }
}
