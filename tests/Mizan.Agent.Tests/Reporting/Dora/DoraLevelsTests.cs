using Mizan.Agent.Reporting.Dora;

namespace Mizan.Agent.Tests.Reporting.Dora;

public class DoraLevelsTests
{
    [Theory]
    [InlineData(3.0, PerformanceLevel.Elite)]
    [InlineData(1.0, PerformanceLevel.Elite)]
    [InlineData(0.99, PerformanceLevel.High)]
    [InlineData(1.0 / 7, PerformanceLevel.High)]
    [InlineData(0.14, PerformanceLevel.Medium)]
    [InlineData(1.0 / 30, PerformanceLevel.Medium)]
    [InlineData(0.03, PerformanceLevel.Low)]
    [InlineData(0.0, PerformanceLevel.Low)]
    public void OfFrequency_PerDay_FallsInDorasCluster(double perDay, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.OfFrequency(perDay));

    [Theory]
    [InlineData(23.9, PerformanceLevel.Elite)]
    [InlineData(24, PerformanceLevel.High)]
    [InlineData(168, PerformanceLevel.High)]
    [InlineData(169, PerformanceLevel.Medium)]
    [InlineData(720, PerformanceLevel.Medium)]
    [InlineData(721, PerformanceLevel.Low)]
    public void OfLeadTime_Hours_FallsInDorasCluster(double hours, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.OfLeadTime(TimeSpan.FromHours(hours)));

    [Theory]
    [InlineData(0.0, PerformanceLevel.Elite)]
    [InlineData(0.05, PerformanceLevel.Elite)]
    [InlineData(0.051, PerformanceLevel.High)]
    [InlineData(0.10, PerformanceLevel.High)]
    [InlineData(0.15, PerformanceLevel.Medium)]
    [InlineData(0.151, PerformanceLevel.Low)]
    public void OfFailureShare_Ratio_FallsInDorasCluster(double ratio, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.OfFailureShare(ratio));

    [Theory]
    [InlineData(59, PerformanceLevel.Elite)]
    [InlineData(60, PerformanceLevel.High)]
    [InlineData(1439, PerformanceLevel.High)]
    [InlineData(1440, PerformanceLevel.Medium)]
    [InlineData(10080, PerformanceLevel.Medium)]
    [InlineData(10081, PerformanceLevel.Low)]
    public void OfRecoveryTime_Minutes_FallsInDorasCluster(double minutes, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.OfRecoveryTime(TimeSpan.FromMinutes(minutes)));
}
