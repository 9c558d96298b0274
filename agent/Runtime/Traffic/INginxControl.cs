namespace Mizan.Agent.Runtime.Traffic;

public sealed record NginxTestResult(bool Valid, string Output);

/// <summary>Whether the nginx master process runs, and how the agent knows (pid file, container).</summary>
public sealed record NginxMasterState(bool Running, string Message);

/// <summary>Tests and reloads nginx, wherever it runs (host or container).</summary>
public interface INginxControl
{
    /// <summary>Fails with DependencyUnavailableException when nginx cannot be reached at all.</summary>
    Task EnsureReachableAsync(CancellationToken cancellationToken);

    Task<NginxTestResult> TestConfigurationAsync(CancellationToken cancellationToken);

    Task ReloadAsync(CancellationToken cancellationToken);

    /// <summary>Whether the master process runs (a valid configuration alone does not serve anything).</summary>
    Task<NginxMasterState> GetMasterStateAsync(CancellationToken cancellationToken);
}
