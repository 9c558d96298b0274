using System.Text.RegularExpressions;
using Mizan.Systemd.Tests.Fixtures;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>A fresh systemd machine per scenario, booted from the cached image; removed (by id) afterwards.</summary>
public abstract partial class SystemdScenario(ITestOutputHelper output) : IAsyncLifetime
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    private readonly CancellationTokenSource timeout = new(Deadline);

    protected ITestOutputHelper Output { get; } = output;

    protected CancellationToken Cancellation => timeout.Token;

    protected SystemdMachine Machine { get; private set; } = null!;

    protected virtual bool BootSystemd => true;

    protected virtual bool MountDockerSocket => true;

    public async Task InitializeAsync() =>
        Machine = await SystemdMachine.BootAsync(Output, Cancellation, BootSystemd, MountDockerSocket);

    public async Task DisposeAsync()
    {
        await Machine.DisposeAsync();
        timeout.Dispose();
    }

    /// <summary>install.sh beside the release tarball (a download of both), as a user would run it.</summary>
    protected async Task<ProcessResult> InstallFromTarballAsync(string? tarball = null, string arguments = "")
    {
        tarball ??= Machine.Release.Tarball;
        var dir = $"/root/download-{Guid.NewGuid():N}"[..24];
        return await Machine.ShAsync(
            $"mkdir -p {dir} && cp {Machine.Release.InMachine(tarball)} {dir}/ "
            + $"&& tar -xzf {dir}/*.tar.gz -C {dir} --strip-components=1 --wildcards '*/install.sh' && {dir}/install.sh {arguments}",
            Cancellation,
            TimeSpan.FromMinutes(3));
    }

    protected async Task<string> DeployAsync(SampleSite site, string version)
    {
        var output = await Machine.MustAsync($"mizanctl deploy --app {site.App} --image {site.Image(version)}", Cancellation, TimeSpan.FromMinutes(3));
        return DeploymentId().Match(output) is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException($"no deployment id in the output of mizanctl deploy:{Environment.NewLine}{output}");
    }

    protected Task<string> ServedVersionAsync(SampleSite site) =>
        Machine.MustAsync($"curl -fsS http://127.0.0.1:{site.SitePort}/version", Cancellation);

    [GeneratedRegex(@"d-\d{8}-\d{6}-[0-9a-f]{6}")]
    protected static partial Regex DeploymentId();
}
