namespace Mizan.Bench.Modes;

/// <summary>The load through nginx of the switch and `docker kill` measurements: the same for both modes.</summary>
public static class LoadShape
{
    public const int Connections = 64;

    /// <summary>Paced above the 1,000 req/s asked for, so the figure stays above it with a margin for the client's own hiccups.</summary>
    public const double RequestsPerSecond = 1_200;

    /// <summary>Every second request of a connection is a POST with a body, half the load.</summary>
    public static PacedLoadOptions Options => new(Connections, RequestsPerSecond, PostEvery: 2, PostBytes: 512);

    public static string Describe() =>
        $"{Connections} keep-alive connections, {RequestsPerSecond:0} req/s paced, half of them POSTs (512 bytes), a client that never retries";
}
