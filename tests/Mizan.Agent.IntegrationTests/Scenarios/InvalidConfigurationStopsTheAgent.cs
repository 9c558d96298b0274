using Mizan.Agent.IntegrationTests.Fixtures;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class InvalidConfigurationStopsTheAgent : IDisposable
{
    private readonly TempDirectory directory = new("bad-config");

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData(
        """{ "Apps": { "web": { "Image": "localhost:5000/web", "BluePort": 18081, "GreenPort": 18081,"""
            + """ "Upstream": { "Name": "web_backend", "File": "/tmp/web.conf" } } } }""",
        "Apps:web:GreenPort")]
    [InlineData(
        """{ "Apps": { "web": { "Image": "localhost:5000/web", "BluePort": 18081, "GreenPort": 18082, """ +
            """ "Upstream": { "Name": "web_backend", "File": "/tmp/web.conf" }, """ +
            """ "ImagePolicy": { "AllowedRepositories": [ "ghcr.io/org/", "ghcr.io/org/api:v1" ] } } } }""",
        "Apps:web:ImagePolicy:AllowedRepositories:1: 'ghcr.io/org/api:v1'")]
    [InlineData("""{ "Agent": { "SocketPat": "/tmp/x.sock" } }""", "SocketPat")]
    [InlineData("""{ "Apps": { "web": { "BluePort": "eighty" } } }""", "BluePort")]
    [InlineData("""{ "Apps": """, "agent.json")]
    public async Task TheAgentExitsNamingTheBadKey(string json, string named)
    {
        var path = directory.Combine("agent.json");
        await File.WriteAllTextAsync(path, json);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await ProcessRunner.RunAsync("dotnet", [RepoPaths.AgentDll, "--config", path], deadline.Token, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, $"an invalid configuration must stop the agent with exit code 2: {result}");
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
    }
}
