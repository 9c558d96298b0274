using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class MetricsTableRendererTests
{
    private readonly MetricsTableRenderer renderer = new(new DeploymentTextRenderer(TimeZoneInfo.Utc));

    private static GetMetricsResponse Response() => new()
    {
        App = "web",
        From = TestData.At(0),
        To = TestData.At(30 * 86400),
        Metrics =
        {
            new Metric
            {
                Name = "deployment_frequency",
                Title = "Deployment frequency",
                Value = 7.0 / 30,
                HasValue = true,
                Unit = "per_day",
                SampleSize = 7,
                Level = PerformanceLevel.High,
                Definition = "Deploys per day."
            },
            new Metric
            {
                Name = "change_lead_time",
                Title = "Change lead time",
                Value = 7200,
                HasValue = true,
                Unit = "seconds",
                SampleSize = 5,
                Level = PerformanceLevel.Elite,
                Definition = "Median commit to live."
            },
            new Metric
            {
                Name = "change_failure_rate",
                Title = "Change failure rate",
                Value = 3.0 / 7,
                HasValue = true,
                Unit = "ratio",
                SampleSize = 7,
                Level = PerformanceLevel.Low,
                Definition = "Share failed."
            },
            new Metric
            {
                Name = "failed_deployment_recovery_time",
                Title = "Failed deployment recovery time",
                Unit = "seconds",
                Level = PerformanceLevel.NoData,
                Definition = "Median restore."
            },
        },
    };

    [Fact]
    public void Format_Figures_ShowValueSampleAndLevelThenDefinitions()
    {
        var lines = renderer.Format(Response()).Split('\n');

        Assert.Equal("DORA metrics for web, 2024-05-01 12:34:56 to 2024-05-31 12:34:56", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal("METRIC                           VALUE      SAMPLE  LEVEL", lines[2]);
        Assert.Equal("Deployment frequency             1.63/week  7       high", lines[3]);
        Assert.Equal("Change lead time                 2h00m      5       elite", lines[4]);
        Assert.Equal("Change failure rate              42.9%      7       low", lines[5]);
        Assert.Equal("Failed deployment recovery time  -          0       no data", lines[6]);
        Assert.Equal("Deployment frequency: Deploys per day.", lines[8]);
        Assert.Equal("Failed deployment recovery time: Median restore.", lines[^1]);
    }

    [Theory]
    [InlineData("per_day", 3.5, "3.5/day")]
    [InlineData("per_day", 0.1, "0.7/week")]
    [InlineData("seconds", 45, "45s")]
    [InlineData("seconds", 1020, "17m00s")]
    [InlineData("seconds", 90000, "1d01h")]
    [InlineData("ratio", 0.05, "5%")]
    public void Value_ByUnit_IsReadable(string unit, double value, string expected) =>
        Assert.Equal(expected, MetricsTableRenderer.Value(new Metric { Unit = unit, Value = value, HasValue = true }));

    [Fact]
    public void Format_AllApps_SaysSo() =>
        Assert.StartsWith(
            "DORA metrics for all apps,",
            renderer.Format(new GetMetricsResponse { From = TestData.At(0), To = TestData.At(3600) }),
            StringComparison.Ordinal);
}
