using System.Security.Cryptography.X509Certificates;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// A client that is not .NET, Debian's python3-grpcio, deploys over mutual TLS with nothing but agent.proto:
/// Interop/deploy_over_mtls.py generates its stubs from the .proto at each run and presents PEM files.
/// </summary>
public sealed class NonDotNetClientDeploysOverMutualTls(ITestOutputHelper output) : IntegrationTestBase(output)
{
    /// <summary>Debian's interpreter, where python3-grpcio and python3-grpc-tools are installed (a python3 earlier on PATH may lack them).</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromMinutes(2);

    private readonly TempDirectory pem = new("pem");

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Interop", "deploy_over_mtls.py");

    [Fact]
    public async Task ATrustedPythonDeployerDeploysV1FromTheProtoAlone()
    {
        using var deployer = ClientCertificates.Create("ci-python");
        await StartAsync(configure: config => config.WithTrustedClient("ci-python", "Deployer", [ClientCertificates.Thumbprint(deployer)], [AppName]));
        var image = await ImageAsync(AppVariant.V1);

        var run = await RunScriptAsync(deployer, image.Tag);

        Assert.True(run.ExitCode == 0, $"the Python client failed: {run}{Environment.NewLine}{AgentLogTail()}");
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var step in new[] { "STEP_VALIDATE", "STEP_PULL", "STEP_START", "STEP_CHECK", "STEP_SWITCH", "STEP_VERIFY" })
        {
            Assert.Contains(lines, line => line.StartsWith($"{step} STEP_STATUS_SUCCEEDED", StringComparison.Ordinal));
        }

        Assert.Contains(lines, line => line.StartsWith("STEP_DONE ", StringComparison.Ordinal));
        Assert.Equal("DEPLOYMENT_STATE_SUCCEEDED", lines[^1]);

        var status = await StatusAsync();
        Assert.Equal(DeploymentState.Succeeded, status.LastDeployment.State);
        Assert.Contains("python-grpcio-interop", status.LastDeployment.RequestedBy, StringComparison.Ordinal);
        var audit = await Client.ListAuditAsync(new ListAuditRequest { App = AppName }, cancellationToken: Token);
        Assert.Contains(audit.Entries, e =>
            e.Action == "Deploy" && e.Caller == "ci-python" && e.CallerThumbprint == ClientCertificates.Thumbprint(deployer)
            && e.Outcome.StartsWith("Succeeded", StringComparison.Ordinal));
        Assert.Equal(status.LastDeployment.ToSlot, status.LiveSlot);
        await AssertServesAsync("v1", status.LastDeployment.ToSlot);
    }

    [Fact]
    public async Task APythonClientWithACertificateTheAgentDoesNotTrustIsRefusedAndNothingIsDeployed()
    {
        using var trusted = ClientCertificates.Create("ci-python");
        using var stranger = ClientCertificates.Create("ci-python");
        await StartAsync(configure: config => config.WithTrustedClient("ci-python", "Deployer", [ClientCertificates.Thumbprint(trusted)], [AppName]));
        var image = await ImageAsync(AppVariant.V1);
        var upstreamBefore = ReadUpstreamFile();

        var run = await RunScriptAsync(stranger, image.Tag);

        // Exit 2 is the script's "the call failed"; refused at the handshake (UNAVAILABLE) or by the agent.
        Assert.True(run.ExitCode == 2, $"expected the call to be refused (exit 2): {run}");
        Assert.Matches("rpc failed: (UNAVAILABLE|INTERNAL|UNAUTHENTICATED|PERMISSION_DENIED):", run.StandardError);
        Assert.DoesNotContain("DEPLOYMENT_STATE_SUCCEEDED", run.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await AppContainersAsync());
        Assert.Empty((await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
    }

    /// <summary>Writes the client's certificate and key and the agent's server certificate as PEM, then runs the script.</summary>
    private async Task<ProcessResult> RunScriptAsync(X509Certificate2 client, string image)
    {
        var clientCert = this.pem.Combine("client.pem");
        var clientKey = this.pem.Combine("client.key");
        var serverCert = this.pem.Combine("server.pem");
        await File.WriteAllTextAsync(clientCert, client.ExportCertificatePem(), Token);
        using (var key = client.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the client certificate has no ECDSA key"))
        {
            await File.WriteAllTextAsync(clientKey, key.ExportPkcs8PrivateKeyPem(), Token);
        }

        File.SetUnixFileMode(clientKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(serverCert, await ServerCertificatePemAsync(), Token);

        var run = await ProcessRunner.RunAsync(
            Python,
            [
                Script,
                "--target", $"127.0.0.1:{Config.TcpPort!.Value}",
                "--server-cert", serverCert,
                "--client-cert", clientCert,
                "--client-key", clientKey,
                "--app", AppName,
                "--image", image,
                "--proto-dir", Path.Combine(RepoPaths.Root, "proto"),
                "--timeout", "90",
            ],
            Token,
            deadline: ScriptDeadline);
        Output.WriteLine($"{run.CommandLine}{Environment.NewLine}{run}");
        return run;
    }

    /// <summary>What an operator hands a non-.NET client: `mizan-agent cert show --pem` (the thumbprint line, then the public certificate).</summary>
    private async Task<string> ServerCertificatePemAsync()
    {
        var shown = (await ProcessRunner.RunAsync("dotnet", [RepoPaths.AgentDll, "cert", "show", "--pem", "--config", Config.FilePath], Token))
            .EnsureSuccess()
            .StandardOutput;
        Assert.DoesNotContain("PRIVATE KEY", shown, StringComparison.Ordinal);
        return shown[shown.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        this.pem.Dispose();
    }
}
