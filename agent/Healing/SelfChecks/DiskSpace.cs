using System.Globalization;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>Free space of the filesystem holding a path, judged against the warning and failing thresholds.</summary>
public static class DiskSpace
{
    public static CheckOutcome Judge(string path, long availableBytes, long totalBytes, double warningPercent, double failingPercent)
    {
        if (totalBytes <= 0)
        {
            return CheckOutcome.Warning($"{path}: the filesystem reports no size");
        }

        var freePercent = 100.0 * availableBytes / totalBytes;
        var text = string.Create(CultureInfo.InvariantCulture, $"{path}: {Gigabytes(availableBytes)} free of {Gigabytes(totalBytes)} ({freePercent:0.#}%)");
        if (freePercent < failingPercent)
        {
            return CheckOutcome.Failing(string.Create(
                CultureInfo.InvariantCulture,
                $"{text}, below {failingPercent:0.#}%; free space (e.g. `docker image prune`)"));
        }

        return freePercent < warningPercent
            ? CheckOutcome.Warning(string.Create(CultureInfo.InvariantCulture, $"{text}, below {warningPercent:0.#}%"))
            : CheckOutcome.Ok(text);
    }

    /// <summary>statvfs of the path (any path, not only a mount point): the space an unprivileged writer can use.</summary>
    public static CheckOutcome Measure(string path, double warningPercent, double failingPercent)
    {
        try
        {
            var drive = new DriveInfo(path);
            return Judge(path, drive.AvailableFreeSpace, drive.TotalSize, warningPercent, failingPercent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return CheckOutcome.Warning($"{path}: free space cannot be read ({ex.Message})");
        }
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB");
}
