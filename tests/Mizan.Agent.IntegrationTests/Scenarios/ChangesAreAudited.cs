using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ChangesAreAudited(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task DeploysRollbacksAndRefusalsAreRecordedWithCallerAndOutcomeButReadsAreNot()
    {
        await StartAsync();
        var deployed = await DeploySucceedsAsync(AppVariant.V1);
        await AssertRpcFailsAsync(StatusCode.InvalidArgument, () => DeployAsync("v1;reboot"));
        await StatusAsync();

        var entries = (await Client.ListAuditAsync(new ListAuditRequest { App = AppName }, cancellationToken: Token)).Entries;

        Assert.Equal(2, entries.Count);
        var refused = entries[0];
        Assert.Equal("Deploy", refused.Action);
        Assert.StartsWith("InvalidArgument", refused.Outcome, StringComparison.Ordinal);
        var deploy = entries[1];
        Assert.Equal("Deploy", deploy.Action);
        Assert.Equal(AppName, deploy.App);
        Assert.Equal(deployed.DeploymentId, deploy.DeploymentId);
        Assert.StartsWith("Succeeded", deploy.Outcome, StringComparison.Ordinal);
        Assert.Contains("image=v1", deploy.Detail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(deploy.Caller), deploy.ToString());

        var listed = await Ctl.RunAsync(["audit", "--app", AppName, "--since", "1h"], Token);
        Assert.True(listed.ExitCode == 0, $"mizanctl audit: {listed}");
        Assert.Contains(deployed.DeploymentId, listed.StandardOutput, StringComparison.Ordinal);
    }
}
