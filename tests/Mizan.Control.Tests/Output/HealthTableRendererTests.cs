using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class HealthTableRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly HealthTableRenderer renderer = new(new DeploymentTextRenderer(TimeZoneInfo.Utc));

    private static CheckResult Check(string name, CheckStatus status, string message, int secondsAgo, int inStatusFor, int failures = 0) => new()
    {
        Name = name,
        App = name.StartsWith("app:", StringComparison.Ordinal) ? "web" : "",
        Status = status,
        Message = message,
        At = Timestamp.FromDateTimeOffset(Now.AddSeconds(-secondsAgo)),
        StatusSince = Timestamp.FromDateTimeOffset(Now.AddSeconds(-inStatusFor)),
        ConsecutiveFailures = failures,
    };

    private static GetHealthResponse Healthy() => new()
    {
        At = Timestamp.FromDateTimeOffset(Now),
        Checks =
        {
            Check("docker", CheckStatus.Ok, "the Docker engine answers", 2, 3600),
            Check("app:web:live", CheckStatus.Ok, "slot blue: answered", 2, 90),
        },
    };

    [Fact]
    public void Format_AllPassing_ListsEveryCheckWithItsAge()
    {
        var expected = string.Join(
            '\n',
            "CHECK         STATUS  AGE   FOR     MESSAGE",
            "docker        ok      2.0s  60m00s  the Docker engine answers",
            "app:web:live  ok      2.0s  1m30s   slot blue: answered",
            "",
            "All checks pass.");

        Assert.Equal(expected, renderer.Format(Healthy()));
        Assert.False(HealthTableRenderer.IsFailing(Healthy()));
    }

    [Fact]
    public void Format_FailingWithIncident_ShowsFailuresAndTheIncident()
    {
        var response = Healthy();
        response.Checks[1] = Check("app:web:live", CheckStatus.Failing, "slot blue: the container exited with code 137", 1, 4, failures: 3);
        response.OpenIncidents.Add(new Incident
        {
            Id = "i-1",
            App = "web",
            OpenedAt = Timestamp.FromDateTimeOffset(Now.AddSeconds(-4)),
            Reason = "the live slot blue failed 3 checks in a row"
        });

        var text = renderer.Format(response);

        Assert.Contains("app:web:live  FAILING x3  1.0s  4.0s    slot blue: the container exited with code 137", text, StringComparison.Ordinal);
        Assert.Contains("Open incidents:", text, StringComparison.Ordinal);
        Assert.Contains("i-1       web  2026-05-01 11:59:56  4.0s      the live slot blue failed 3 checks in a row", text, StringComparison.Ordinal);
        Assert.EndsWith("1 check(s) failing, 0 warning(s), 1 open incident(s).", text, StringComparison.Ordinal);
        Assert.True(HealthTableRenderer.IsFailing(response));
    }

    [Fact]
    public void IsFailing_WarningAlone_IsNot()
    {
        var response = Healthy();
        response.Checks.Add(Check("certificate", CheckStatus.Warning, "expires in 3 days", 1, 1));

        Assert.False(HealthTableRenderer.IsFailing(response));
        Assert.EndsWith("All checks pass; 1 warning(s).", renderer.Format(response), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NoCheckYet_SaysSo()
    {
        Assert.StartsWith("No check has run yet", renderer.Format(new GetHealthResponse { At = Timestamp.FromDateTimeOffset(Now) }), StringComparison.Ordinal);
    }
}
