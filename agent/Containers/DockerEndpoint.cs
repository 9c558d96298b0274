using Docker.DotNet;
using Mizan.Agent.Configuration;
using Microsoft.Extensions.Options;

namespace Mizan.Agent.Containers;

/// <summary>Where the Docker engine listens; the client is built once and shared.</summary>
public sealed class DockerEndpoint(IOptions<AgentOptions> options)
{
    public Uri Uri { get; } = new(options.Value.Agent.DockerEndpoint);

    public IDockerClient CreateClient() => new DockerClientBuilder().WithEndpoint(Uri).Build();
}
