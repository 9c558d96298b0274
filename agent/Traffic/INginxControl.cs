namespace Mizan.Agent.Traffic;

public sealed record NginxTestResult(bool Valid, string Output);

/// <summary>Tests and reloads nginx, wherever it runs (host or container).</summary>
public interface INginxControl
{
    /// <summary>Fails with DependencyUnavailableException when nginx cannot be reached at all.</summary>
    Task EnsureReachableAsync(CancellationToken cancellationToken);

    Task<NginxTestResult> TestConfigurationAsync(CancellationToken cancellationToken);

    Task ReloadAsync(CancellationToken cancellationToken);
}
