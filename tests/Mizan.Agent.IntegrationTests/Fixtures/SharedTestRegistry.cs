namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>The registry all scenarios share during one test run; a scenario that stops its registry starts its own.</summary>
public static class SharedTestRegistry
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestRegistry? shared;

    public static async Task<TestRegistry> GetAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (shared is null)
            {
                await RunCleanup.EnsureRegisteredAsync(cancellationToken);
                shared = await TestRegistry.StartAsync(cancellationToken);
            }

            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>At the end of the run: kill it now, wait for nothing.</summary>
    internal static void KillAndForget()
    {
        Interlocked.Exchange(ref shared, null)?.KillAndForget();
    }
}
