using System.Security.Cryptography;
using Mizan.Systemd.Tests.Fixtures;

namespace Mizan.Systemd.Tests.GitHubAction;

/// <summary>packaging/github-action/verify-mizanctl.sh, the check the action runs on the mizanctl it downloaded, run with bash on a temporary file.</summary>
public sealed class VerifyMizanctlTests : IDisposable
{
    private static readonly string Script = Repository.PathOf("packaging", "github-action", "verify-mizanctl.sh");

    private readonly string file = Path.GetTempFileName();
    private readonly string hash;

    public VerifyMizanctlTests()
    {
        File.WriteAllText(file, "a stand-in for mizanctl\n");
        hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
    }

    public void Dispose() => File.Delete(file);

    [Fact]
    public async Task Verify_PinnedHashMatches_Passes()
    {
        var result = await VerifyAsync(hash);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"mizanctl SHA-256 {hash} matches", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PinInCapitalsWithSpaces_Passes() =>
        Assert.Equal(0, (await VerifyAsync($"  {hash.ToUpperInvariant()}\n")).ExitCode);

    [Fact]
    public async Task Verify_PinnedHashDiffers_FailsNamingExpectedAndActual()
    {
        var pinned = new string('0', 64);

        var result = await VerifyAsync(pinned, "https://example.com/mizan-agent-0.1.0-linux-x64.tar.gz");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "mizanctl from https://example.com/mizan-agent-0.1.0-linux-x64.tar.gz does not match the pinned checksum",
            result.StandardError,
            StringComparison.Ordinal);
        Assert.Contains($"expected SHA-256 {pinned} (mizanctl-sha256), actual {hash}", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Verify_NoPin_FailsSayingWhatToPin(string pinned)
    {
        var result = await VerifyAsync(pinned);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no SHA-256 pinned for mizanctl: set the input mizanctl-sha256", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("packaging/build-release.sh prints it", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PinIsNotAHash_FailsNamingIt()
    {
        var result = await VerifyAsync(hash[..40]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"mizanctl-sha256 '{hash[..40]}' is not a SHA-256 (64 hex digits)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnderGitHubActions_FailsWithAnErrorAnnotation()
    {
        var result = await VerifyAsync(new string('0', 64), gitHubActions: true);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("::error title=mizanctl checksum::mizanctl from ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"actual {hash}", result.StandardOutput, StringComparison.Ordinal);
    }

    private Task<ProcessResult> VerifyAsync(string pinned, string? from = null, bool gitHubActions = false) =>
        ProcessRunner.RunAsync(
            "bash",
            from is null ? [Script, file, pinned] : [Script, file, pinned, from],
            CancellationToken.None,
            environment: new Dictionary<string, string> { ["GITHUB_ACTIONS"] = gitHubActions ? "true" : "false" });
}
