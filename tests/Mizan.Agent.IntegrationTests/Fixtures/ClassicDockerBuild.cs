using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// `docker build` with the classic builder (DOCKER_BUILDKIT=0) of a Dockerfile given on stdin, without a context:
/// for instructions `docker import --change` does not accept (HEALTHCHECK) on top of a local image. Works offline
/// as long as FROM names a local image.
/// </summary>
public static class ClassicDockerBuild
{
    private static readonly IReadOnlyDictionary<string, string> ClassicBuilder = DockerCli.EnvironmentWith([KeyValuePair.Create("DOCKER_BUILDKIT", "0")]);

    /// <summary>Builds and tags the image; returns its id.</summary>
    public static async Task<string> BuildAsync(string dockerfile, string tag, CancellationToken cancellationToken)
    {
        await DockerCli.RunAsync(["build", "--tag", tag, "-"], cancellationToken, Encoding.UTF8.GetBytes(dockerfile), TimeSpan.FromSeconds(60), ClassicBuilder);
        return await DockerCli.RunAsync(["image", "inspect", "--format", "{{.Id}}", tag], cancellationToken);
    }
}
