using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>nginx that accepts every configuration (unless <see cref="Rejects"/>) and counts its reloads.</summary>
public sealed class FakeNginxControl : INginxControl
{
    public int Reloads { get; private set; }

    public bool Rejects { get; set; }

    public Task EnsureReachableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<NginxTestResult> TestConfigurationAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new NginxTestResult(!Rejects, Rejects ? "unknown directive (scripted)" : "syntax is ok"));

    public Task ReloadAsync(CancellationToken cancellationToken)
    {
        Reloads++;
        return Task.CompletedTask;
    }

    public Task<NginxMasterState> GetMasterStateAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new NginxMasterState(true, "running (scripted)"));
}
