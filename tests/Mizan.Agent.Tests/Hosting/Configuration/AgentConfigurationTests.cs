using Microsoft.Extensions.Configuration;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public sealed class AgentConfigurationTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-config-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_TypoInKey_NamesTheKey()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Load("""{ "Agent": { "SocketPat": "/run/x.sock" } }"""));

        Assert.Contains("SocketPat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongType_NamesTheKey()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Load("""{ "Apps": { "web": { "BluePort": "eighty" } } }"""));

        Assert.Contains("BluePort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidFile_BindsAppsAndDurations()
    {
        var options = Load("""
            { "Apps": { "web": { "Image": "localhost:5000/web", "BluePort": 1, "GreenPort": 2,
              "Health": { "Interval": "00:00:00.250" },
              "Upstream": { "Name": "web_backend", "File": "/tmp/web.conf" } } } }
            """);

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Apps["web"].Health.Interval);
        Assert.Equal("/run/mizan-agent/agent.sock", options.Agent.SocketPath);
    }

    [Fact]
    public void Load_RegistryWithPort_KeepsTheWholeHost()
    {
        var options = Load("""{ "Registries": [ { "Server": "registry.example.com:5000", "Username": "ci", "Password": "p" } ] }""");

        Assert.Equal("registry.example.com:5000", Assert.Single(options.Registries).Server);
    }

    [Fact]
    public void AddSources_ExplicitMissingFile_Throws()
    {
        var builder = new ConfigurationBuilder();

        Assert.Throws<InvalidConfigurationException>(() => AgentConfiguration.AddSources(
            builder,
            new ConfigurationFile(Path.Combine(directory, "missing.json"), Given: true)));
    }

    [Fact]
    public void FromArguments_ConfigArgument_ReturnsItAsGiven()
    {
        Assert.Equal(new ConfigurationFile("/x/agent.json", Given: true), ConfigurationFile.FromArguments(["--config", "/x/agent.json"]));
    }

    [Fact]
    public void FromArguments_NoConfigArgument_ReturnsTheDefaultPathNotGiven()
    {
        Assert.Equal(new ConfigurationFile(ConfigurationFile.DefaultPath, Given: false), ConfigurationFile.FromArguments(["--version"]));
    }

    [Fact]
    public void FromArguments_ConfigWithoutPath_Throws()
    {
        Assert.Throws<InvalidConfigurationException>(() => ConfigurationFile.FromArguments(["--config"]));
    }

    private AgentOptions Load(string json)
    {
        var path = Path.Combine(directory, "agent.json");
        File.WriteAllText(path, json);
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        return AgentConfiguration.Load(configuration, path);
    }
}
