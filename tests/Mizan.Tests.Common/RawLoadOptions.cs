namespace Mizan.Tests.Common;

/// <summary>How <see cref="RawLoadGenerator"/> pushes: connections, the share of POSTs, keep-alive or a connection per request.</summary>
/// <param name="PostEvery">Every Nth request of a connection is a POST with a <paramref name="PostBytes"/> body; 0 for GETs only.</param>
public sealed record RawLoadOptions(
    int Connections = 16,
    bool KeepAlive = true,
    int PostEvery = 2,
    int PostBytes = 512,
    string Path = "/",
    int MaxRequests = 10_000_000,
    TimeSpan? MaxDuration = null)
{
    public TimeSpan Duration => MaxDuration ?? TimeSpan.FromMinutes(2);

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
