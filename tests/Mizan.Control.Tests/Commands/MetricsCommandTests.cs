using System.CommandLine;
using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class MetricsCommandTests
{
    private static ParseResult Parse(params string[] args) =>
        Program.BuildRootCommand(_ => null).Parse(args);

    [Theory]
    [InlineData("12h", 12)]
    [InlineData("30d", 720)]
    [InlineData("2w", 336)]
    [InlineData("1h", 1)]
    [InlineData("400d", 9600)]
    public void TryParse_Window_IsThatLong(string text, double hours)
    {
        Assert.True(MetricsWindow.TryParse(text, out var value, out _));

        Assert.Equal(TimeSpan.FromHours(hours), value);
    }

    [Theory]
    [InlineData("30", "not a duration")]
    [InlineData("a month", "not a duration")]
    [InlineData("59m", "between 1h and 400d")]
    [InlineData("401d", "between 1h and 400d")]
    public void TryParse_BadWindow_SaysWhatIsExpected(string text, string expected)
    {
        Assert.False(MetricsWindow.TryParse(text, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AppAndWindow_HasNoErrors()
    {
        var result = Parse("metrics", "--app", "web", "--window", "2w", "--output", "json");

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromDays(14), result.GetValue<TimeSpan>("--window"));
    }

    [Fact]
    public void Parse_NoWindow_IsThirtyDays() =>
        Assert.Equal(TimeSpan.FromDays(30), Parse("metrics").GetValue<TimeSpan>("--window"));

    [Fact]
    public void Parse_BadWindow_ReportsTheBounds()
    {
        var error = Assert.Single(Parse("metrics", "--window", "5m").Errors);

        Assert.Contains("--window '5m' must be between 1h and 400d", error.Message, StringComparison.Ordinal);
    }
}
