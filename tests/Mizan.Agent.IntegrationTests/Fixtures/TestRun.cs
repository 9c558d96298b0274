namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Identity of this test run: every image and container the fixtures create carries these labels.</summary>
public static class TestRun
{
    /// <summary>Present on everything the integration tests create.</summary>
    public const string Label = "mizan.test";

    /// <summary>Which run created it, so cleanup removes this run's things only.</summary>
    public const string RunLabel = "mizan.test.run";

    public static readonly string Id = Guid.NewGuid().ToString("N")[..12];

    /// <summary>When this run started (when its fixtures were first used), for names that must tell their age.</summary>
    public static readonly DateTimeOffset StartedAt = DateTimeOffset.UtcNow;

    public static string NewShortId() => Guid.NewGuid().ToString("N")[..8];
}
