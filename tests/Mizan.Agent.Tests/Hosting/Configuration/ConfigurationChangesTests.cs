using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public sealed class ConfigurationChangesTests
{
    [Fact]
    public void TrustListKeysApplyLiveAndTheRestNeedARestart()
    {
        var before = new Dictionary<string, string?>
        {
            ["Agent:PullTimeout"] = "00:10:00",
            ["Security:Clients:0:Name"] = "ci",
            ["Apps:web:BluePort"] = "18081",
        };
        var after = new Dictionary<string, string?>
        {
            ["Agent:PullTimeout"] = "00:05:00",
            ["Security:Clients:0:Name"] = "ci-2",
            ["Apps:web:BluePort"] = "18081",
            ["Apps:api:Image"] = "x/api",
        };

        var changes = ConfigurationChanges.Between(before, after);

        Assert.Equal(["Security:Clients:0:Name"], changes.AppliedLive);
        Assert.Equal(["Agent:PullTimeout", "Apps:api:Image"], changes.NeedRestart);
    }

    [Fact]
    public void KeysCompareWithoutCaseAsConfigurationDoes()
    {
        var changes = ConfigurationChanges.Between(
            new Dictionary<string, string?> { ["agent:pulltimeout"] = "1" },
            new Dictionary<string, string?> { ["Agent:PullTimeout"] = "1" });

        Assert.Empty(changes.NeedRestart);
        Assert.Empty(changes.AppliedLive);
    }
}
