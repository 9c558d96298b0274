using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>Registry credentials: the agent's own configuration first, then the Docker CLI's config.json "auths".</summary>
public sealed class RegistryCredentialStore(IOptions<AgentOptions> options)
{
    public AuthConfig? For(string? registryDomain)
    {
        var domain = registryDomain ?? "docker.io";
        if (options.Value.Registries.FirstOrDefault(r => string.Equals(r.Server, domain, StringComparison.OrdinalIgnoreCase)) is { } configured)
        {
            return new AuthConfig { Username = configured.Username, Password = configured.Password, ServerAddress = domain };
        }

        return FromDockerConfig(domain);
    }

    private AuthConfig? FromDockerConfig(string domain)
    {
        var path = options.Value.Agent.DockerConfigPath;
        if (path.Length == 0 || !File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("auths", out var auths))
        {
            return null;
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (!MatchesRegistry(entry.Name, domain) || !entry.Value.TryGetProperty("auth", out var auth) || auth.GetString() is not { Length: > 0 } encoded)
            {
                continue;
            }

            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return new AuthConfig { Username = pair[..colon], Password = pair[(colon + 1)..], ServerAddress = domain };
            }
        }

        return null;
    }

    // config.json keys are written as "host", "https://host" or "https://host/v1/".
    private static bool MatchesRegistry(string key, string domain)
    {
        var host = key.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).TrimEnd('/');
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        host = slash >= 0 ? host[..slash] : host;
        return string.Equals(host, domain, StringComparison.OrdinalIgnoreCase)
            || (domain == "docker.io" && host is "index.docker.io" or "registry-1.docker.io");
    }
}
