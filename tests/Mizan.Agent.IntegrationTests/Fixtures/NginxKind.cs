namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Where the test's nginx runs, and so which Nginx.Mode the agent uses.</summary>
public enum NginxKind
{
    /// <summary>A host nginx master process (Nginx.Mode Host).</summary>
    Host,

    /// <summary>nginx in a container found by name (Nginx.Mode Container).</summary>
    ContainerByName,

    /// <summary>nginx in a container found by label (Nginx.Mode Container).</summary>
    ContainerByLabel,
}
