using System.Text.Json;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class DeploysAreLoggedAsCompactJson(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheLogFileHasTheDeployWithItsIdAndAFailureAtErrorLevel()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: TimeSpan.FromSeconds(2)));
        var good = await DeploySucceedsAsync(AppVariant.V1);
        var bad = await DeployAsync(AppVariant.Unhealthy);

        var events = await Eventually.ValueAsync(
            _ => Task.FromResult(ReadLogEvents()),
            logged => logged.Any(e => e.DeploymentId == bad.DeploymentId && e.Level == "Error"),
            TimeSpan.FromSeconds(10),
            _ => $"the failed deploy {bad.DeploymentId} logged at Error in {Config.LogDirectory}",
            Token);

        Assert.Contains(events, e => e.DeploymentId == good.DeploymentId && e.App == AppName && e.Level == "Information");
    }

    private sealed record LogEvent(string? Level, string? App, string? DeploymentId);

    // Compact JSON (CLEF): one object per line; "@l" is absent for Information.
    private List<LogEvent> ReadLogEvents()
    {
        var events = new List<LogEvent>();
        foreach (var file in Directory.EnumerateFiles(Config.LogDirectory, "agent-*.json"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                using var json = JsonDocument.Parse(line);
                string? Text(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
                events.Add(new LogEvent(Text("@l") ?? "Information", Text("App"), Text("DeploymentId")));
            }
        }

        return events;
    }
}
