namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// The fast test app (fast-app/fast_app.c, copied next to the test assembly): compiled once per test run with
/// `gcc -O2 -static`, so it runs in an image that holds nothing else it needs.
/// </summary>
public static class FastAppBinary
{
    /// <summary>Where the binary sits in the image.</summary>
    public const string PathInImage = "/bin/fast-app";

    /// <summary>The folder the fast app looks in for trigger files (its TRIGGER_DIR default): mount a host folder here.</summary>
    public const string TriggerDirectory = AppImageRecipe.SettingsMountPoint;

    private static readonly Lazy<Task<byte[]>> Compiled = new(CompileAsync);

    public static string Source => Path.Combine(AppContext.BaseDirectory, "Fixtures", "fast-app", "fast_app.c");

    /// <summary>The trigger that makes the app on <paramref name="port"/> answer its next request (other than /health) with 500, once.</summary>
    public static string FailNextTrigger(int port) => $"fail-next-{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <remarks>Shared work runs without the first caller's token (it has its own deadline); each caller waits with its own.</remarks>
    public static Task<byte[]> BuildAsync(CancellationToken cancellationToken) => Compiled.Value.WaitAsync(cancellationToken);

    private static async Task<byte[]> CompileAsync()
    {
        using var output = new TempDirectory("fast-app");
        var binary = output.Combine("fast-app");
        var result = await ProcessRunner.RunAsync(
            "gcc",
            ["-O2", "-static", "-Wall", "-Wextra", "-Werror", "-o", binary, Source],
            CancellationToken.None,
            TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"the fast test app did not compile (gcc and libc6-dev are needed: tests/run.sh installs them): {result}");
        }

        return await File.ReadAllBytesAsync(binary);
    }
}
