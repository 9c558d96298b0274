using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Tests.Deployments;

/// <summary>The app the image policy tests judge images for: its own repository is localhost:5000/web.</summary>
internal static class ImagePolicyApps
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static AppOptions Web(bool digestsOnly = false, params string[] allowed) => new()
    {
        Image = "localhost:5000/web",
        ImagePolicy = new ImagePolicyOptions { DigestsOnly = digestsOnly, AllowedRepositories = [.. allowed] },
    };
}
