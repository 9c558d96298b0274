using Mizan.Agent.Access;

namespace Mizan.Agent.Tests.Access;

public class MetricsRequestRulesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(24 * 30)]
    [InlineData(24 * 400)]
    public void CheckWindow_WithinOneHourTo400Days_IsAccepted(double hours) =>
        Assert.Null(RequestFieldRules.CheckWindow(TimeSpan.FromHours(hours)));

    [Theory]
    [InlineData(0)]
    [InlineData(0.99)]
    [InlineData(24 * 400 + 1)]
    [InlineData(-5)]
    public void CheckWindow_Outside_IsRefusedWithTheBounds(double hours) =>
        Assert.Contains("between 1 hour and 400 days", RequestFieldRules.CheckWindow(TimeSpan.FromHours(hours)), StringComparison.Ordinal);

    [Fact]
    public void Required_GetMetrics_IsAViewerCall() =>
        Assert.Equal(Right.View, CallRights.Required("/mizan.agent.v1.AgentService/GetMetrics"));
}
