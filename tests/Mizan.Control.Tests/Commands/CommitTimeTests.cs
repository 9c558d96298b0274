using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class CommitTimeTests
{
    [Theory]
    [InlineData("2024-05-01T12:34:56+02:00", "2024-05-01T10:34:56Z")]
    [InlineData("2024-05-01T10:34:56Z", "2024-05-01T10:34:56Z")]
    [InlineData("2024-05-01T10:34:56.250Z", "2024-05-01T10:34:56.25Z")]
    [InlineData("2024-05-01T05:34:56.5-05:00", "2024-05-01T10:34:56.5Z")]
    [InlineData("2024-05-01T12:34+02:00", "2024-05-01T10:34:00Z")]
    public void TryParse_IsoWithOffset_ReturnsInstant(string text, string expectedUtc)
    {
        var parsed = CommitTime.TryParse(text, out var value, out var error);

        Assert.True(parsed, error);
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void TryParse_WithOffset_KeepsOffset()
    {
        Assert.True(CommitTime.TryParse("2024-05-01T12:34:56+02:00", out var value, out _));

        Assert.Equal(TimeSpan.FromHours(2), value.Offset);
    }

    [Theory]
    [InlineData("2024-05-01T12:34:56")]
    [InlineData("2024-05-01")]
    [InlineData("yesterday")]
    [InlineData("2024-13-01T12:34:56Z")]
    [InlineData("1714566896")]
    [InlineData("")]
    public void TryParse_NotIsoWithOffset_ReturnsClearError(string text)
    {
        var parsed = CommitTime.TryParse(text, out _, out var error);

        Assert.False(parsed);
        Assert.Contains($"--commit-time '{text}'", error, StringComparison.Ordinal);
        Assert.Contains("offset", error, StringComparison.Ordinal);
    }
}
