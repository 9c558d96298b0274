using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// Moves traffic by rewriting the app's nginx upstream file: render, replace atomically, test the whole
/// configuration, reload; a failed test puts the previous file back so live traffic never sees a broken config.
/// </summary>
public sealed partial class NginxUpstreamRouter(AppCatalog apps, INginxControl nginx, ILogger<NginxUpstreamRouter> logger) : ITrafficRouter, IDisposable
{
    // One nginx serves every app: two apps testing and reloading at once would judge each other's files.
    private readonly SemaphoreSlim nginxGate = new(1, 1);

    public void Dispose() => nginxGate.Dispose();

    public async Task<Slot?> GetLiveSlotAsync(string app, CancellationToken cancellationToken)
    {
        var file = apps.Get(app).Upstream.File;
        return File.Exists(file) ? NginxUpstreamFile.ReadLiveSlot(await File.ReadAllTextAsync(file, cancellationToken)) : null;
    }

    public Task EnsureReachableAsync(CancellationToken cancellationToken) => nginx.EnsureReachableAsync(cancellationToken);

    public async Task SwitchAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var file = options.Upstream.File;
        var rendered = NginxUpstreamFile.Render(app, options.Upstream.Name, slot, AppCatalog.PortOf(options, slot));
        await nginxGate.WaitAsync(cancellationToken);
        try
        {
            var previous = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : null;
            await WriteAsync(file, rendered, previous, cancellationToken);
            var test = await nginx.TestConfigurationAsync(cancellationToken);
            if (!test.Valid)
            {
                await RestoreAsync(file, previous, CancellationToken.None);
                LogTestFailed(logger, app, file, test.Output);
                throw new TrafficSwitchException($"nginx rejected the configuration, so {file} was restored and live traffic is unchanged: {test.Output}");
            }

            await nginx.ReloadAsync(cancellationToken);
            LogSwitched(logger, app, slot.Name(), file);
        }
        finally
        {
            nginxGate.Release();
        }
    }

    // Replaced durably (fsynced, renamed, directory fsynced): nginx never reads a half-written file, and after a power
    // loss it starts with the file the last switch wrote. A file nginx never saw is put back before anyone reloads it.
    private static async Task WriteAsync(string file, string rendered, string? previous, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched {App} to slot {Slot} ({UpstreamFile})")]
    private static partial void LogSwitched(ILogger logger, string app, string slot, string upstreamFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "nginx rejected the configuration while switching {App}; {UpstreamFile} restored: {NginxOutput}")]
    private static partial void LogTestFailed(ILogger logger, string app, string upstreamFile, string nginxOutput);
}
