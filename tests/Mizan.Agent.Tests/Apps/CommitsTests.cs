using Mizan.Agent.Apps;

namespace Mizan.Agent.Tests.Apps;

public class CommitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CheckTime_FutureOrAncient_IsRefused()
    {
        Assert.NotNull(Commits.CheckTime(Now.AddDays(2), Now));
        Assert.NotNull(Commits.CheckTime(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), Now));
    }

    [Fact]
    public void CheckTime_RecentPast_Passes()
    {
        Assert.Null(Commits.CheckTime(Now.AddMinutes(-5), Now));
    }

    [Theory]
    [InlineData("0123abc", true)]
    [InlineData("0123456789abcdef0123456789ABCDEF01234567", true)]
    [InlineData("012345", false)]
    [InlineData("0123abz", false)]
    [InlineData("0123abc\n", false)]
    public void IsSha_Value_MatchesSevenToSixtyFourHexDigits(string value, bool isSha)
    {
        Assert.Equal(isSha, Commits.IsSha(value));
    }
}
