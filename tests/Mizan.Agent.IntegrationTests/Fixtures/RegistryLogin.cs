using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>A user of an htpasswd-protected <see cref="TestRegistry"/>.</summary>
public sealed record RegistryLogin(string Username, string Password)
{
    public static RegistryLogin NewRandom() => new($"ci-{TestRun.NewShortId()}", Guid.NewGuid().ToString("N"));

    /// <summary>"user:password" in base64: the "auth" of a Docker config.json, and a Basic Authorization header's value.</summary>
    public string Base64 => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    /// <summary>The line of an htpasswd file, bcrypt-hashed (the only hash Distribution accepts), from apache2-utils' htpasswd.</summary>
    public async Task<string> HtpasswdLineAsync(CancellationToken cancellationToken) =>
        (await ProcessRunner.RunAsync("htpasswd", ["-B", "-b", "-n", Username, Password], cancellationToken)).EnsureSuccess().StandardOutput.Trim();
}
