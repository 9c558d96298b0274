using Microsoft.Extensions.Configuration;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

/// <summary>
/// The configurations the release ships: install.sh writes agent.default.json with Traffic:Mode Reload or Redirect (by
/// whether nftables is there), and agent.example.json shows every key; each is valid in both modes.
/// </summary>
public sealed class PackagedConfigurationTests
{
    [Theory]
    [InlineData("agent.default.json", "Reload")]
    [InlineData("agent.default.json", "Redirect")]
    [InlineData("agent.example.json", "Reload")]
    [InlineData("agent.example.json", "Redirect")]
    public void Load_PackagedConfiguration_IsValidInEitherTrafficMode(string file, string mode)
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "packaging", file));
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Traffic:Mode"] = mode })
            .Build();

        var options = AgentConfiguration.Load(configuration, path);

        Assert.Equal(Enum.Parse<TrafficMode>(mode), options.Traffic.Mode);
        Assert.Equal("mizan", options.Traffic.Table);
    }

    [Fact]
    public void DefaultConfiguration_HasTheOneModeLineInstallShRewrites()
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "packaging", "agent.default.json"));

        // install.sh turns this one line into Redirect when nftables is there (sed on the exact text).
        Assert.Single(File.ReadLines(path), line => line.Trim() == "\"Mode\": \"Reload\"");
    }

    [Fact]
    public void ExampleConfiguration_GivesTheAppFrontPortsApartFromItsSlots()
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "packaging", "agent.example.json"));
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();

        var web = AgentConfiguration.Load(configuration, path).Apps["web"];

        Assert.Equal((18090, 10), (web.Upstream.FrontPort, web.Upstream.FrontPorts));
        Assert.DoesNotContain(web.BluePort, Enumerable.Range(web.Upstream.FrontPort, web.Upstream.FrontPorts + 1));
        Assert.DoesNotContain(web.GreenPort, Enumerable.Range(web.Upstream.FrontPort, web.Upstream.FrontPorts + 1));
    }
}
