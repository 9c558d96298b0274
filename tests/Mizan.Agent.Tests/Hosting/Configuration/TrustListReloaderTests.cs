using Grpc.Core;
using Microsoft.Extensions.Logging;
using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;
using Mizan.Agent.Hosting.Systemd;
using Mizan.Agent.Tests.Access;
using Mizan.Agent.Tests.Hosting.Systemd;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public sealed class TrustListReloaderTests : IDisposable
{
    private static readonly string Thumbprint = new('a', 64);
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-reload-").FullName;
    private readonly NotifySocketListener listener = new();
    private readonly RecordingLogger log = new();

    private string ConfigPath => Path.Combine(directory, "agent.json");

    [Fact]
    public async Task AValidFileSwapsTheTrustListNamesKeysThatNeedARestartAndTellsSystemd()
    {
        File.WriteAllText(ConfigPath, """{ "Agent": { "PullTimeout": "00:10:00" } }""");
        var trust = new TrustList([]);
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);
        using var reloader = new TrustListReloader(trust, new ConfigurationFile(ConfigPath, Given: true), log, notifier);
        await reloader.StartAsync(CancellationToken.None);

        File.WriteAllText(ConfigPath, $$"""
            { "Agent": { "PullTimeout": "00:05:00" },
              "Security": { "Clients": [ { "Name": "ci", "Role": "Deployer", "Apps": [], "Thumbprints": [ "{{Thumbprint}}" ] } ] } }
            """);

        Assert.True(reloader.Reload());
        Assert.Equal("ci", trust.Find(Thumbprint)?.Name);
        Assert.Contains(log.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains("Agent:PullTimeout", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains("Security:Clients", StringComparison.Ordinal));
        Assert.StartsWith("RELOADING=1", listener.Receive(), StringComparison.Ordinal);
        Assert.StartsWith("READY=1", listener.Receive(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidFileKeepsTheRunningConfigurationAndLogsAnErrorNamingTheKey()
    {
        File.WriteAllText(ConfigPath, $$"""
            { "Security": { "Clients": [ { "Name": "ci", "Role": "Deployer", "Apps": [], "Thumbprints": [ "{{Thumbprint}}" ] } ] } }
            """);
        var trust = new TrustList([new() { Name = "ci", Role = Role.Deployer, Thumbprints = [Thumbprint] }]);
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);
        using var reloader = new TrustListReloader(trust, new ConfigurationFile(ConfigPath, Given: true), log, notifier);
        await reloader.StartAsync(CancellationToken.None);

        File.WriteAllText(ConfigPath, """{ "Agent": { "NoSuchKey": 1 }, "Security": { "Clients": [] } }""");

        Assert.False(reloader.Reload());
        Assert.Equal("ci", trust.Find(Thumbprint)?.Name);
        var error = Assert.Single(log.Lines, line => line.Level == LogLevel.Error);
        Assert.Contains("NoSuchKey", error.Text, StringComparison.Ordinal);
        Assert.StartsWith("RELOADING=1", listener.Receive(), StringComparison.Ordinal);
        Assert.StartsWith("READY=1", listener.Receive(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARemovedThumbprintEndsTheCallsItHasOpenAndLeavesTheOthers()
    {
        var kept = new string('b', 64);
        File.WriteAllText(ConfigPath, $$"""
            { "Security": { "Clients": [ { "Name": "ci", "Role": "Viewer", "Apps": [], "Thumbprints": [ "{{Thumbprint}}", "{{kept}}" ] } ] } }
            """);
        var trust = new TrustList([new() { Name = "ci", Role = Role.Viewer, Thumbprints = [Thumbprint, kept] }]);
        var openCalls = new OpenTcpCalls();
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);
        using var reloader = new TrustListReloader(trust, new ConfigurationFile(ConfigPath, Given: true), log, notifier, openCalls);
        await reloader.StartAsync(CancellationToken.None);
        using var revokedCall = openCalls.Open(Thumbprint, new FakeServerCallContext(FakeServerCallContext.WatchDeployment));
        using var keptCall = openCalls.Open(kept, new FakeServerCallContext(FakeServerCallContext.WatchDeployment));

        File.WriteAllText(ConfigPath, $$"""
            { "Security": { "Clients": [ { "Name": "ci", "Role": "Viewer", "Apps": [], "Thumbprints": [ "{{kept}}" ] } ] } }
            """);

        Assert.True(reloader.Reload());
        Assert.True(revokedCall.Context.CancellationToken.IsCancellationRequested);
        Assert.Equal(StatusCode.Unauthenticated, revokedCall.Replace(null)?.StatusCode);
        Assert.False(keptCall.Context.CancellationToken.IsCancellationRequested);
        Assert.Null(keptCall.Replace(null));
        Assert.Contains(log.Lines, line => line.Text.Contains("Ended 1 open call(s)", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        listener.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private sealed class RecordingLogger : ILogger<TrustListReloader>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
