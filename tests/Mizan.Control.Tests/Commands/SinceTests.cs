using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class SinceTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30m", 0.5)]
    [InlineData("24h", 24)]
    [InlineData("7d", 168)]
    [InlineData("2w", 336)]
    [InlineData("90s", 0.025)]
    [InlineData("24H", 24)]
    public void TryParse_Duration_IsThatLongBeforeNow(string text, double hours)
    {
        Assert.True(Since.TryParse(text, Now, out var value, out _));

        Assert.Equal(Now - TimeSpan.FromHours(hours), value);
    }

    [Theory]
    [InlineData("2024-05-01T12:34:56Z", "2024-05-01T12:34:56+00:00")]
    [InlineData("2024-05-01T14:34:56+02:00", "2024-05-01T12:34:56+00:00")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00+00:00")]
    public void TryParse_Iso8601_IsThatTime(string text, string expected)
    {
        Assert.True(Since.TryParse(text, Now, out var value, out _));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("24")]
    [InlineData("-1h")]
    [InlineData("1y")]
    [InlineData("")]
    public void TryParse_Garbage_FailsWithExample(string text)
    {
        Assert.False(Since.TryParse(text, Now, out _, out var error));

        Assert.Contains("24h", error, StringComparison.Ordinal);
    }
}
