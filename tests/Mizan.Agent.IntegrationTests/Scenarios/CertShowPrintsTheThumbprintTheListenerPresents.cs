using Grpc.Health.V1;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class CertShowPrintsTheThumbprintTheListenerPresents(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheThumbprintPrintedIsTheOneTheHandshakePresentsAndPinningItWorks()
    {
        using var client = ClientCertificates.Create("ci");
        await StartAsync(configure: config => config.WithTrustedClient("ci", "Viewer", [ClientCertificates.Thumbprint(client)]));

        var shown = await ProcessRunner.RunAsync("dotnet", [RepoPaths.AgentDll, "cert", "show", "--config", Config.FilePath], Token);
        shown.EnsureSuccess();
        var thumbprint = shown.StandardOutput.Trim();
        Assert.Matches("^[0-9a-f]{64}$", thumbprint);

        using (var pinned = TlsChannel.Create(Config.TcpPort!.Value, client, serverThumbprint: thumbprint))
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await MutualTls.HealthAsync(pinned, Token));
            Assert.Equal(thumbprint, pinned.SeenServerThumbprint);
        }

        using (var mispinned = TlsChannel.Create(Config.TcpPort!.Value, client, serverThumbprint: new string('0', 64)))
        {
            await MutualTls.AssertRefusedAsync(() => MutualTls.HealthAsync(mispinned, Token), "a server whose thumbprint does not match the pin");
        }

        var file = new FileInfo(Path.Combine(Config.DataDirectory, "server.pfx"));
        Assert.True(file.Exists, "the generated certificate is kept in the data directory");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.FullName));
        var again = await ProcessRunner.RunAsync("dotnet", [RepoPaths.AgentDll, "cert", "show", "--config", Config.FilePath], Token);
        Assert.Equal(thumbprint, again.EnsureSuccess().StandardOutput.Trim());
    }
}
