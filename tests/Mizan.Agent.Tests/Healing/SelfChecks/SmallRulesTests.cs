using Grpc.Health.V1;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Reporting.Metrics;

namespace Mizan.Agent.Tests.Healing.SelfChecks;

public class DiskSpaceTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Theory]
    [InlineData(50, CheckStatus.Ok)]
    [InlineData(8, CheckStatus.Warning)]
    [InlineData(3, CheckStatus.Failing)]
    public void Judge_FreePercent_AgainstTheThresholds(long freeGiB, CheckStatus expected)
    {
        var outcome = DiskSpace.Judge("/var/lib/docker", freeGiB * GiB, 100 * GiB, warningPercent: 10, failingPercent: 5);

        Assert.Equal(expected, outcome.Status);
        Assert.StartsWith($"/var/lib/docker: {freeGiB}.0 GiB free of 100.0 GiB", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_AnyDirectory_ReadsItsFilesystem()
    {
        var outcome = DiskSpace.Measure(Path.GetTempPath(), warningPercent: 0, failingPercent: 0);

        Assert.Equal(CheckStatus.Ok, outcome.Status);
        Assert.Contains("GiB free of", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_MissingPath_IsAWarningNotAFailure()
    {
        Assert.Equal(CheckStatus.Warning, DiskSpace.Measure("/no/such/directory/mizan", 10, 5).Status);
    }
}

public class AppServingStatusTests
{
    [Theory]
    [InlineData(true, null, HealthCheckResponse.Types.ServingStatus.ServiceUnknown)]
    [InlineData(false, CheckStatus.Ok, HealthCheckResponse.Types.ServingStatus.NotServing)]
    [InlineData(true, CheckStatus.Ok, HealthCheckResponse.Types.ServingStatus.Serving)]
    [InlineData(true, CheckStatus.Warning, HealthCheckResponse.Types.ServingStatus.Serving)]
    [InlineData(true, CheckStatus.Failing, HealthCheckResponse.Types.ServingStatus.NotServing)]
    public void StatusOf_FollowsTheLiveCheck(bool hasLive, CheckStatus? live, HealthCheckResponse.Types.ServingStatus expected)
    {
        Assert.Equal(expected, AppServingStatus.StatusOf(hasLive, live));
    }
}

public class HealthMetricsTests
{
    [Theory]
    [InlineData("app:web:live", "live")]
    [InlineData("app:web:live-via-nginx", "live-via-nginx")]
    [InlineData("disk:/var/lib/docker", "disk:/var/lib/docker")]
    [InlineData("docker", "docker")]
    public void CheckKind_AppChecksLoseTheirApp(string name, string expected)
    {
        Assert.Equal(expected, HealthMetrics.CheckKind(name));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(10, 10)]
    [InlineData(120, 30)]
    public void DeadlineFor_IsTheIntervalWithinBounds(int intervalSeconds, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SelfCheckRunner.DeadlineFor(TimeSpan.FromSeconds(intervalSeconds)));
    }
}
