using Mizan.Agent.Apps;

namespace Mizan.Agent.Tests.Apps;

public class AppNamesTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("0api")]
    [InlineData("web_api-2")]
    public void IsValid_LowercaseName_IsAccepted(string name)
    {
        Assert.True(AppNames.IsValid(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Web")]
    [InlineData("-web")]
    [InlineData("web.api")]
    [InlineData("web\n")]
    [InlineData("../etc")]
    public void IsValid_OtherName_IsRefused(string name)
    {
        Assert.False(AppNames.IsValid(name));
    }

    [Fact]
    public void IsValid_SixtyFourCharacters_IsRefused()
    {
        Assert.True(AppNames.IsValid(new string('a', 63)));
        Assert.False(AppNames.IsValid(new string('a', 64)));
    }
}
