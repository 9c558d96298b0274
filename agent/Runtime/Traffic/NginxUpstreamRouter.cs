using Mizan.Agent.Apps;

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
            await ReplaceAtomicallyAsync(file, rendered, cancellationToken);
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

    private static async Task RestoreAsync(string file, string? previous, CancellationToken cancellationToken)
    {
        if (previous is null)
        {
            File.Delete(file);
        }
        else
        {
            await ReplaceAtomicallyAsync(file, previous, cancellationToken);
        }
    }

    // Write beside the target and rename over it: nginx never reads a half-written file.
    private static async Task ReplaceAtomicallyAsync(string file, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = $"{file}.mizan-tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);
            await stream.FlushAsync(cancellationToken);
#pragma warning disable CA1849 // fsync has no async form; the file is tiny.
            stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        File.Move(temporary, file, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched {App} to slot {Slot} ({UpstreamFile})")]
    private static partial void LogSwitched(ILogger logger, string app, string slot, string upstreamFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "nginx rejected the configuration while switching {App}; {UpstreamFile} restored: {NginxOutput}")]
    private static partial void LogTestFailed(ILogger logger, string app, string upstreamFile, string nginxOutput);
}
