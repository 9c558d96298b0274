using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class HistoryTableRendererTests
{
    [Fact]
    public void Format_Deployments_RendersOneRowEach()
    {
        var deployment = TestData.Deployment(DeploymentState.RolledBack, "verify failed");
        deployment.CommitSha = "0123456789abcdef";
        deployment.RequestedBy = "github:acme/web#42 by octocat";
        deployment.Caller = "ci-github (thumbprint ab12cd34ef56…)";
        var renderer = new HistoryTableRenderer(new DeploymentTextRenderer(TimeZoneInfo.Utc));

        var lines = renderer.Format(new ListDeploymentsResponse { Deployments = { deployment } }).Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("ID    KIND    STATE        STARTED", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            "d-42  deploy  rolled back  2024-05-01 12:34:56  12.5s     registry.example/web:v2  0123456  github:acme/web#42 by octocat  " +
                "ci-github (thumbprint ab12cd34ef56…)  verify failed",
            lines[1]);
    }
}
