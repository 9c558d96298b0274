namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>The builds of the test app: each one is a tag of the test app's repository.</summary>
public enum AppVariant
{
    /// <summary>Healthy; serves "v1".</summary>
    V1,

    /// <summary>Healthy; serves "v2".</summary>
    V2,

    /// <summary>Starts and serves / but has no /health, so the health gate never opens.</summary>
    Unhealthy,

    /// <summary>Has /health but no index.html: healthy, yet a verify of / through nginx gets 404.</summary>
    VerifyFails,

    /// <summary>Prints one line to stderr and exits 3 at once.</summary>
    Crash,

    /// <summary>Prints a 128 KB line, then <see cref="AppImageRecipe.CrashLine"/> wrapped in terminal escapes, and exits 3.</summary>
    NoisyCrash,

    /// <summary>Healthy after sleeping START_DELAY_SECONDS (default 5) before it listens; serves "slow".</summary>
    Slow,

    /// <summary>Healthy; serves "settings", and <see cref="AppImageRecipe.SettingsPath"/> prints what the agent gave it.</summary>
    Settings,

    /// <summary>Serves "healthcheck-fails" and answers /health, but its Docker HEALTHCHECK always fails.</summary>
    HealthcheckFails,

    /// <summary>Serves "healthcheck-passes"; its Docker HEALTHCHECK fetches /health and passes.</summary>
    HealthcheckPasses,

    /// <summary>Healthy; serves "labelled" and carries the OCI labels org.opencontainers.image.created and .revision.</summary>
    Labelled,

    /// <summary>Prints its start line, then doubles a string for ever: it eats memory until a limit stops it.</summary>
    MemoryHog,

    /// <summary>Serves "memory-eater" until <see cref="AppImageRecipe.EatMemoryTrigger"/> appears, then eats memory like <see cref="MemoryHog"/>.</summary>
    MemoryEater,

    /// <summary>
    /// The fast app (<see cref="FastAppBinary"/>, one thread and epoll, keep-alive, GET and POST) for load scenarios;
    /// healthy; serves "fast-v1" and answers one request with 500 per <see cref="FastAppBinary.FailNextTrigger"/> file.
    /// </summary>
    FastV1,

    /// <summary>As <see cref="FastV1"/>; serves "fast-v2".</summary>
    FastV2,
}
