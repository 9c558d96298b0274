using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A DOCKER_CONFIG directory of the docker CLI's own, logged in to one registry with `docker login`, so root's
/// ~/.docker/config.json is never touched. Its config.json holds the login under "auths" (no credential helper).
/// </summary>
public sealed class DockerClientConfig
{
    private DockerClientConfig(string directory)
    {
        Directory = directory;
        Environment = DockerCli.EnvironmentWith([KeyValuePair.Create("DOCKER_CONFIG", directory)]);
    }

    public string Directory { get; }

    public string ConfigFile => Path.Combine(Directory, "config.json");

    /// <summary>The environment of a docker command that should use this login.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static async Task<DockerClientConfig> LoginAsync(string directory, string registryHost, RegistryLogin login, CancellationToken cancellationToken)
    {
        var config = new DockerClientConfig(directory);
        await DockerCli.RunAsync(
            ["login", "--username", login.Username, "--password-stdin", registryHost],
            cancellationToken,
            Encoding.UTF8.GetBytes(login.Password),
            environment: config.Environment);
        var written = await File.ReadAllTextAsync(config.ConfigFile, cancellationToken);
        return written.Contains(login.Base64, StringComparison.Ordinal)
            ? config
            : throw new InvalidOperationException(
                $"docker login {registryHost} did not store the login in {config.ConfigFile} (a credential helper?):"
                + $"{System.Environment.NewLine}{written}");
    }
}
