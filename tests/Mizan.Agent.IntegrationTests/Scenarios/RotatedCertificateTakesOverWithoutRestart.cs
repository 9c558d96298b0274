using Grpc.Core;
using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class RotatedCertificateTakesOverWithoutRestart(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task BothThumbprintsWorkThenTheOldOneRemovedAndReloadedIsRefusedWhileTheNewOneWorks()
    {
        using var old = ClientCertificates.Create("ci-github-2024");
        using var rotated = ClientCertificates.Create("ci-github-2025");
        var oldThumbprint = ClientCertificates.Thumbprint(old);
        var newThumbprint = ClientCertificates.Thumbprint(rotated);
        await StartAsync(configure: config => config.WithTrustedClient("ci-github", "Viewer", [oldThumbprint, newThumbprint]));
        var port = Config.TcpPort!.Value;
        var pid = Agent.Pid;

        using var oldConnection = TlsChannel.Create(port, old, serverThumbprint: null);
        using var newConnection = TlsChannel.Create(port, rotated, serverThumbprint: null);
        Assert.Equal(0, await MutualTls.ListDeploymentsAsync(oldConnection, AppName, Token));
        Assert.Equal(0, await MutualTls.ListDeploymentsAsync(newConnection, AppName, Token));
        // A long stream of each certificate, open across the reload.
        using var oldWatch = WatchHealth(oldConnection);
        using var newWatch = WatchHealth(newConnection);
        Assert.True(await oldWatch.ResponseStream.MoveNext(Token));
        Assert.True(await newWatch.ResponseStream.MoveNext(Token));

        TrustedClientEntry.Rewrite(Config.FilePath, [new TrustedClientEntry("ci-github", "Viewer", [newThumbprint], [])]);
        // A reload is idempotent, so the SIGHUP is sent again every 5 s until the agent logs it; the count is printed.
        var hups = 0;
        var lastHup = DateTime.MinValue;
        await Eventually.TrueAsync(
            () =>
            {
                if (DateTime.UtcNow - lastHup > TimeSpan.FromSeconds(5))
                {
                    Agent.Reload();
                    hups++;
                    lastHup = DateTime.UtcNow;
                }

                return Agent.Output.Text.Contains("Trust list reloaded", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            () => $"the agent to log the reload after {hups} SIGHUP(s) ({Agent.SignalState()}):{Environment.NewLine}{AgentLogTail()}",
            Token);
        Output.WriteLine($"SIGHUPs sent until the reload was logged: {hups}");

        // The revoked certificate's open stream is ended by the reload, and only that one: the rotated one's stays open.
        var endedStream = await Assert.ThrowsAsync<RpcException>(() => oldWatch.ResponseStream.MoveNext(Token));
        Assert.True(endedStream.StatusCode == StatusCode.Unauthenticated, $"the revoked certificate's watch: {endedStream.Status}");
        Assert.Contains("no longer trusted", endedStream.Status.Detail, StringComparison.Ordinal);
        // The client can see its stream end a moment before the agent's log line about it is read.
        await Eventually.TrueAsync(
            () => Agent.Output.Text.Contains("Ended 1 open call(s)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5),
            () => $"the agent to log that it ended the revoked certificate's call{Environment.NewLine}{AgentLogTail(20)}",
            Token);

        // On the connection opened before the reload, the agent refuses the call; a new connection fails the handshake.
        var onOpenConnection = await MutualTls.AssertRefusedAsync(
            () => MutualTls.ListDeploymentsAsync(oldConnection, AppName, Token),
            "the old certificate on its open connection");
        Assert.Equal(StatusCode.Unauthenticated, onOpenConnection.StatusCode);
        using (var fresh = TlsChannel.Create(port, old, serverThumbprint: null))
        {
            await MutualTls.AssertRefusedAsync(() => MutualTls.HealthAsync(fresh, Token), "the old certificate on a new connection");
        }

        Assert.Equal(0, await MutualTls.ListDeploymentsAsync(newConnection, AppName, Token));
        using (var fresh = TlsChannel.Create(port, rotated, serverThumbprint: null))
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await MutualTls.HealthAsync(fresh, Token));
        }

        Assert.Equal(pid, Agent.Pid);
        Assert.False(Agent.HasExited);
        Assert.Contains(oldThumbprint[..12], Agent.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(oldThumbprint, Agent.Output.Text, StringComparison.Ordinal);
    }

    private AsyncServerStreamingCall<HealthCheckResponse> WatchHealth(TlsChannel connection) =>
        new Health.HealthClient(connection.Channel).Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddMinutes(2), cancellationToken: Token);
}
