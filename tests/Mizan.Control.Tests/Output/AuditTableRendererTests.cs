using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class AuditTableRendererTests
{
    private readonly AuditTableRenderer renderer = new(new DeploymentTextRenderer(TimeZoneInfo.Utc));

    [Fact]
    public void Format_Entries_RendersHeaderAndOneRowEach()
    {
        var response = new ListAuditResponse
        {
            Entries =
            {
                new AuditEntry
                {
                    At = TestData.At(0), Caller = "ci-github", CallerThumbprint = "AB12", Role = "deployer", Action = "Deploy", App = "web",
                    Detail = "image v2", Peer = "203.0.113.7:51234", Outcome = "OK", DeploymentId = "d-42",
                },
                new AuditEntry
                {
                    At = TestData.At(60), Caller = "uid 0 (root)", Role = "admin", Action = "Switch", App = "api",
                    Peer = "pid 4242", Outcome = "PermissionDenied: missing right",
                },
            },
        };

        var lines = renderer.Format(response).Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Equal("TIME                 CALLER        ROLE      ACTION  APP  DETAIL           PEER               OUTCOME", lines[0]);
        Assert.Equal("2024-05-01 12:34:56  ci-github     deployer  Deploy  web  image v2 (d-42)  203.0.113.7:51234  OK", lines[1]);
        Assert.Equal("2024-05-01 12:35:56  uid 0 (root)  admin     Switch  api  -                pid 4242           PermissionDenied: missing right", lines[2]);
    }

    [Fact]
    public void Format_NoEntries_SaysSo() =>
        Assert.Equal("No audit entries match.", renderer.Format(new ListAuditResponse()));
}
