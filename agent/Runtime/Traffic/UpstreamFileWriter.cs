using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// Puts a new upstream file in front of nginx: replace atomically, test the whole configuration, reload. A failed test
/// puts the previous file back, so live traffic never sees a broken configuration.
/// </summary>
public sealed partial class UpstreamFileWriter(INginxControl nginx, ILogger<UpstreamFileWriter> logger) : IDisposable
{
    // One nginx serves every app: two apps testing and reloading at once would judge each other's files.
    private readonly SemaphoreSlim nginxGate = new(1, 1);

    public void Dispose() => nginxGate.Dispose();

    public Task EnsureReachableAsync(CancellationToken cancellationToken) => nginx.EnsureReachableAsync(cancellationToken);

    public static async Task<string?> ReadAsync(string file, CancellationToken cancellationToken) =>
        File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : null;

    /// <summary>
    /// Writes, tests and reloads. With <paramref name="onlyIfChanged"/> a file that already holds <paramref name="rendered"/>
    /// is left alone and false returned; without it nginx reloads anyway, so it serves what the file says even when a
    /// switch died between writing the file and reloading.
    /// </summary>
    public async Task<bool> WriteAsync(string app, string file, string rendered, bool onlyIfChanged, CancellationToken cancellationToken)
    {
        await nginxGate.WaitAsync(cancellationToken);
        try
        {
            var previous = await ReadAsync(file, cancellationToken);
            if (previous == rendered && onlyIfChanged)
            {
                return false;
            }

            if (previous != rendered)
            {
                await ReplaceAsync(file, rendered, previous, cancellationToken);
            }

            var test = await nginx.TestConfigurationAsync(cancellationToken);
            if (!test.Valid)
            {
                await RestoreAsync(file, previous, CancellationToken.None);
                LogTestFailed(logger, app, file, test.Output);
                throw new TrafficSwitchException($"nginx rejected the configuration, so {file} was restored and live traffic is unchanged: {test.Output}");
            }

            await nginx.ReloadAsync(cancellationToken);
            return true;
        }
        finally
        {
            nginxGate.Release();
        }
    }

    // Replaced durably (fsynced, renamed, directory fsynced): nginx never reads a half-written file, and after a power
    // loss it starts with the file the last switch wrote. A file nginx never saw is put back before anyone reloads it.
    private static async Task ReplaceAsync(string file, string rendered, string? previous, CancellationToken cancellationToken)
    {
        try
        {
            await DurableFile.ReplaceAsync(file, rendered, cancellationToken);
        }
        catch (Exception written) when (written is IOException or UnauthorizedAccessException)
        {
            string restored;
            try
            {
                await RestoreAsync(file, previous, CancellationToken.None);
                restored = "the previous file was put back";
            }
            catch (Exception restoring) when (restoring is IOException or UnauthorizedAccessException)
            {
                restored = $"putting the previous file back failed too ({restoring.Message}): check {file} before nginx reloads";
            }

            throw new TrafficSwitchException($"could not write {file}: {written.Message}; {restored}, and live traffic is unchanged");
        }
    }

    private static async Task RestoreAsync(string file, string? previous, CancellationToken cancellationToken)
    {
        if (previous is null)
        {
            if (File.Exists(file))
            {
                DurableFile.Delete(file);
            }
        }
        else
        {
            await DurableFile.ReplaceAsync(file, previous, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "nginx rejected the configuration while switching {App}; {UpstreamFile} restored: {NginxOutput}")]
    private static partial void LogTestFailed(ILogger logger, string app, string upstreamFile, string nginxOutput);
}
