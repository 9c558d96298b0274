using Docker.DotNet;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>Where the Docker engine listens; the client is built once and shared.</summary>
public sealed class DockerEndpoint(IOptions<AgentOptions> options)
{
    public Uri Uri { get; } = new(options.Value.Agent.DockerEndpoint);

    public IDockerClient CreateClient() => new DockerClientBuilder().WithEndpoint(Uri).Build();
}
