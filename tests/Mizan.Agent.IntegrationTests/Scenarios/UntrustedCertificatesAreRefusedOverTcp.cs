using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class UntrustedCertificatesAreRefusedOverTcp(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task NoCertificateAnUnknownOneAndAnExpiredOneAreRefusedWhileATrustedOneIsServed()
    {
        using var trusted = ClientCertificates.Create("ci-trusted");
        using var expired = ClientCertificates.Expired("ci-expired");
        using var unknown = ClientCertificates.Create("ci-unknown");
        await StartAsync(configure: config => config
            .WithTrustedClient("ci-trusted", "Viewer", [ClientCertificates.Thumbprint(trusted)])
            .WithTrustedClient("ci-expired", "Viewer", [ClientCertificates.Thumbprint(expired)]));
        var port = Config.TcpPort!.Value;

        using (var channel = TlsChannel.Create(port, trusted, serverThumbprint: null))
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await MutualTls.HealthAsync(channel, Token));
        }

        foreach (var (why, certificate) in new[] { ("no client certificate", null), ("an unknown certificate", unknown), ("an expired certificate", expired) })
        {
            using var channel = TlsChannel.Create(port, certificate, serverThumbprint: null);
            var status = await MutualTls.AssertRefusedAsync(() => MutualTls.HealthAsync(channel, Token), why);
            Output.WriteLine($"{why}: {status.StatusCode} {status.Detail}");
        }

        // A refused handshake never becomes a call, so the operator learns of it from the log.
        await Eventually.TrueAsync(
            () => Agent.Output.Text.Contains($"Refused a TLS client certificate {ClientCertificates.Thumbprint(unknown)[..12]}", StringComparison.Ordinal)
                && Agent.Output.Text.Contains($"Refused a TLS client certificate {ClientCertificates.Thumbprint(expired)[..12]}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            () => $"the refusals of the unknown and the expired certificate in the agent's log{Environment.NewLine}{AgentLogTail()}",
            Token);

        // The unix socket still serves root as admin.
        Assert.Empty((await Client.ListDeploymentsAsync(new Mizan.Agent.V1.ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);
    }
}
