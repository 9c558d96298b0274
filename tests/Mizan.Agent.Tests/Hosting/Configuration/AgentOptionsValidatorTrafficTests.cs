using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public class AgentOptionsValidatorTrafficTests
{
    private static AgentOptions Redirect(int webFront, int apiFront = 0, int frontPorts = 10, string table = "mizan")
    {
        var options = new AgentOptions { Traffic = { Mode = TrafficMode.Redirect, Table = table } };
        options.Apps["web"] = App(18081, 18082, "web", webFront, frontPorts);
        if (apiFront != 0)
        {
            options.Apps["api"] = App(18091, 18092, "api", apiFront, frontPorts);
        }

        return options;
    }

    private static AppOptions App(int blue, int green, string name, int front, int frontPorts) => new()
    {
        Image = $"localhost:5000/{name}",
        BluePort = blue,
        GreenPort = green,
        Upstream = new UpstreamOptions { Name = $"{name}_backend", File = $"/etc/nginx/mizan/{name}.conf", FrontPort = front, FrontPorts = frontPorts },
    };

    [Fact]
    public void Validate_TwoAppsWithSeparateFrontPorts_HasNoErrors()
    {
        Assert.Empty(AgentOptionsValidator.Validate(Redirect(18700, 18720)));
    }

    [Fact]
    public void Validate_ReloadModeWithoutFrontPorts_HasNoErrors()
    {
        var options = Redirect(0);
        options.Traffic.Mode = TrafficMode.Reload;

        Assert.Empty(AgentOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_RedirectWithoutFrontPort_SaysHowManyPortsItNeeds()
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(Redirect(0)));

        Assert.StartsWith("Apps:web:Upstream:FrontPort: Traffic:Mode Redirect needs the first of 11 free ports", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BackupPortOnASlotPort_NamesThePortAndItsOwner()
    {
        // 18071-18080 are the primaries; the backup, 18081, is web's blue port.
        var error = Assert.Single(AgentOptionsValidator.Validate(Redirect(18071)));

        Assert.Contains("includes port 18081, already used by Apps:web:BluePort", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverlappingFrontPortRanges_NamesTheOtherApp()
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(Redirect(18700, 18705)));

        Assert.Contains("already used by Apps:", error, StringComparison.Ordinal);
        Assert.Contains(":Upstream:FrontPort", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_FrontPortsOutOfRange_IsRejected(int frontPorts)
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(Redirect(18700, frontPorts: frontPorts)));

        Assert.StartsWith("Apps:web:Upstream:FrontPorts:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mizan")]
    [InlineData("mizan table")]
    [InlineData("")]
    [InlineData("1mizan")]
    public void Validate_TableThatIsNotOneLowercaseWord_IsRejected(string table)
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(Redirect(18700, table: table)));

        Assert.StartsWith("Traffic:Table:", error, StringComparison.Ordinal);
    }
}
