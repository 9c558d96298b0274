using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Tests.Deployments.History;

public class DeploymentRecordTests
{
    [Theory]
    [InlineData("github:acme/web#42", "ci-github (thumbprint ab12cd34ef56…)", "github:acme/web#42 via ci-github (thumbprint ab12cd34ef56…)")]
    [InlineData("", "uid 0 (root)", "uid 0 (root)")]
    [InlineData("old claim via unix uid 0 (root) pid 7", null, "old claim via unix uid 0 (root) pid 7")]
    [InlineData("", null, "unknown")]
    public void Requester_ClaimAndCaller_NamesWhatIsKnown(string requestedBy, string? caller, string expected)
    {
        var record = new DeploymentRecord(
            "d-1", "web", DeploymentKind.Deploy, DeploymentState.Running, "web:v2", null, null, null, requestedBy, DateTimeOffset.UnixEpoch, null, null, null,
            null, Caller: caller);

        Assert.Equal(expected, record.Requester);
    }
}
