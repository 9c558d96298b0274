using System.Security.Cryptography;
using System.Text;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>
/// An image in the fake registry and how every container made from it behaves. Program it before the deploy that
/// starts one: <c>world.Image("v2").FailsBehindNginx()</c>.
/// </summary>
public sealed class FakeImage
{
    internal FakeImage(string reference)
    {
        Reference = reference;
        Digest = DigestOf(reference);
    }

    /// <summary>"repository:tag".</summary>
    public string Reference { get; }

    /// <summary>A sha256 digest derived from the reference, so the same tag always pulls the same bytes.</summary>
    public string Digest { get; }

    public IReadOnlyDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>();

    /// <summary>What the health path answers; every other path answers <see cref="PageStatus"/>.</summary>
    public int HealthStatus { get; private set; } = 200;

    /// <summary>What the app's pages answer, which is what a verify through nginx sees.</summary>
    public int PageStatus { get; private set; } = 200;

    /// <summary>The image's own Docker HEALTHCHECK status ("healthy", "unhealthy", "starting"), or null for none.</summary>
    public string? DockerHealth { get; private set; }

    /// <summary>A container exits with ExitCode at its Inspections-th inspection.</summary>
    public (int Inspections, long ExitCode)? Exit { get; private set; }

    public FakeImage AnswersHealth(int status)
    {
        HealthStatus = status;
        return this;
    }

    /// <summary>Healthy on its health path, but its pages fail: the check passes and the verify through nginx does not.</summary>
    public FakeImage FailsBehindNginx(int status = 500)
    {
        PageStatus = status;
        return this;
    }

    /// <summary>Answers nothing well: both the health path and the pages.</summary>
    public FakeImage Unhealthy(int status = 500)
    {
        HealthStatus = status;
        PageStatus = status;
        return this;
    }

    /// <summary>A container from it exits with <paramref name="exitCode"/> when Docker is asked about it the <paramref name="atInspection"/>th time.</summary>
    public FakeImage ExitsDuringCheck(long exitCode, int atInspection = 2)
    {
        Exit = (atInspection, exitCode);
        return this;
    }

    /// <summary>
    /// A container from it is killed for its memory (exit 137) at its <paramref name="atInspection"/>th inspection, and
    /// Docker marks it OOMKilled only <paramref name="markedInspectionsLater"/> inspections after: its OOM event trails the exit.
    /// </summary>
    public FakeImage KilledOutOfMemoryDuringCheck(int atInspection = 2, int markedInspectionsLater = 1)
    {
        Exit = (atInspection, 137);
        OutOfMemoryMarkedAfter = markedInspectionsLater;
        return this;
    }

    /// <summary>For an exit by <see cref="KilledOutOfMemoryDuringCheck"/>: how many inspections later Docker marks it OOMKilled.</summary>
    public int? OutOfMemoryMarkedAfter { get; private set; }

    public FakeImage WithDockerHealth(string? status)
    {
        DockerHealth = status;
        return this;
    }

    public FakeImage WithLabels(IReadOnlyDictionary<string, string> labels)
    {
        Labels = labels;
        return this;
    }

    private static string DigestOf(string reference) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)));
}
