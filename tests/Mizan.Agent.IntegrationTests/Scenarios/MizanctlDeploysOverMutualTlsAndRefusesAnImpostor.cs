using System.Security.Cryptography.X509Certificates;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class MizanctlDeploysOverMutualTlsAndRefusesAnImpostor(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task WithTheCiSecretAndThePinnedThumbprintItDeploysAndWithAWrongPinItRefuses()
    {
        using var ci = ClientCertificates.Create("ci-github");
        await StartAsync(configure: config => config.WithTrustedClient("ci-github", "Deployer", [ClientCertificates.Thumbprint(ci)], [AppName]));
        await ImageAsync(AppVariant.V1);
        var agentThumbprint = (await ProcessRunner.RunAsync("dotnet", [RepoPaths.AgentDll, "cert", "show", "--config", Config.FilePath], Token))
            .EnsureSuccess()
            .StandardOutput
            .Trim();
        var remote = $"https://127.0.0.1:{Config.TcpPort}";

        // What a CI system holds: the client certificate as a base64 PKCS#12 secret, and the agent's thumbprint.
        var secret = Convert.ToBase64String(ci.Export(X509ContentType.Pkcs12));
        var pinned = new MizanCtl(remote, new Dictionary<string, string> { ["MIZAN_CLIENT_CERT"] = secret, ["MIZAN_AGENT_THUMBPRINT"] = agentThumbprint });
        var deployed = await pinned.RunAsync(["deploy", "--app", AppName, "--image", "v1", "--requested-by", "release-bot"], Token);
        Assert.True(deployed.ExitCode == 0, $"mizanctl deploy over mutual TLS: {deployed}");
        var status = await StatusAsync();
        await AssertServesAsync("v1", status.LiveSlot);
        Assert.Contains(await AuditCallersAsync(), caller => caller == "ci-github");

        // What the client claims and whom the agent authenticated are recorded apart, and history shows both.
        var authenticated = $"ci-github (thumbprint {ClientCertificates.Thumbprint(ci)[..12]}…)";
        Assert.Equal("release-bot", status.LastDeployment.RequestedBy);
        Assert.Equal(authenticated, status.LastDeployment.Caller);
        var history = await Ctl.RunAsync(["history", "--app", AppName], Token);
        Assert.True(history.ExitCode == 0, $"mizanctl history: {history}");
        Assert.Contains("release-bot", history.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(authenticated, history.StandardOutput, StringComparison.Ordinal);

        var impostorPin = new MizanCtl(
            remote,
            new Dictionary<string, string> { ["MIZAN_CLIENT_CERT"] = secret, ["MIZAN_AGENT_THUMBPRINT"] = new string('a', 64) });
        var refused = await impostorPin.RunAsync(["status", "--retries", "0"], Token);
        Assert.True(refused.ExitCode == 3, $"a server whose thumbprint differs from the pin must be refused with exit 3: {refused}");
        Assert.Contains("attacker", refused.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<List<string>> AuditCallersAsync() =>
        [.. (await Client.ListAuditAsync(new Agent.V1.ListAuditRequest { App = AppName }, cancellationToken: Token)).Entries.Select(e => e.Caller)];
}
