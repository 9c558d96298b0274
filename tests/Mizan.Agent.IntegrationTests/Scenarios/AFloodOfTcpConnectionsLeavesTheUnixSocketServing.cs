using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AFloodOfTcpConnectionsLeavesTheUnixSocketServing(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const int MaxConnections = 3;

    [Fact]
    public async Task ConnectionsOverTheTcpLimitAreRefusedWhileTheUnixSocketAndTheOpenConnectionsServe()
    {
        using var certificate = ClientCertificates.Create("ci-flood");
        await StartAsync(configure: c => c
            .WithTrustedClient("ci-flood", "Viewer", [ClientCertificates.Thumbprint(certificate)])
            .WithTcpMaxConnections(MaxConnections));
        var port = Config.TcpPort!.Value;
        var open = new List<TlsChannel>();
        try
        {
            // Up to the limit: each channel is a connection of its own, kept open after its call.
            for (var connection = 0; connection < MaxConnections; connection++)
            {
                open.Add(TlsChannel.Create(port, certificate, serverThumbprint: null));
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await MutualTls.HealthAsync(open[^1], Token));
            }

            // Beyond it: a trusted client's connection is refused, and a bare TCP connection is closed unanswered.
            for (var excess = 0; excess < 3; excess++)
            {
                using var refused = TlsChannel.Create(port, certificate, serverThumbprint: null);
                var refusal = await MutualTls.AssertRefusedAsync(() => MutualTls.HealthAsync(refused, Token), "a connection over Security:Tcp:MaxConnections");
                Output.WriteLine($"connection {MaxConnections + excess + 1}: {refusal.StatusCode} {refusal.Detail}");
            }

            Assert.Equal(0, await BytesFromABareConnectionAsync(port));

            // The local admin is not locked out, and the connections already open still serve.
            var local = await Ctl.RunAsync(["status"], Token);
            Assert.True(local.ExitCode == 0, $"mizanctl status on the unix socket while TCP is full: {local}");
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await MutualTls.HealthAsync(open[0], Token));
            await Eventually.TrueAsync(
                () => Agent.Output.Text.Contains("TCP listener full", StringComparison.Ordinal),
                TimeSpan.FromSeconds(5),
                () => $"the agent to log that the TCP listener is full{Environment.NewLine}{AgentLogTail(20)}",
                Token);

            // A connection that ends frees its place.
            open[^1].Dispose();
            open.RemoveAt(open.Count - 1);
            await Eventually.TrueAsync(
                async _ =>
                {
                    using var next = TlsChannel.Create(port, certificate, serverThumbprint: null);
                    try
                    {
                        return await MutualTls.HealthAsync(next, Token) == HealthCheckResponse.Types.ServingStatus.Serving;
                    }
                    catch (RpcException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(20),
                () => $"a new TCP connection to be admitted once one closed{Environment.NewLine}{AgentLogTail(20)}",
                Token);
        }
        finally
        {
            open.ForEach(channel => channel.Dispose());
        }
    }

    /// <summary>Opens a plain TCP connection and reads: 0 bytes means the agent closed it without a TLS handshake.</summary>
    private async Task<int> BytesFromABareConnectionAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, Token);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Token);
        // A guard, not a measure: a connection the agent kept would wait for a ClientHello until its handshake timeout.
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            return await client.GetStream().ReadAsync(new byte[16], guard.Token);
        }
        catch (IOException)
        {
            // Reset instead of closed: refused just the same.
            return 0;
        }
    }
}
