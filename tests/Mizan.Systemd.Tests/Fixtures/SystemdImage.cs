namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>
/// The Debian 12 image that boots systemd as PID 1, with nginx: systemd-image.sh builds it with debootstrap only
/// when no image of its tag (a hash of the script and its package list) exists, so later runs reuse it.
/// </summary>
public static class SystemdImage
{
    private static readonly Lazy<Task<string>> Tag = new(async () =>
        (await ProcessRunner.RunAsync(
            Repository.PathOf("tests", "Mizan.Systemd.Tests", "systemd-image.sh"),
            [],
            CancellationToken.None,
            TimeSpan.FromMinutes(15))).EnsureSuccess().StandardOutput.Trim().Split('\n')[^1]);

    public static Task<string> GetAsync(CancellationToken cancellationToken) => Tag.Value.WaitAsync(cancellationToken);
}
