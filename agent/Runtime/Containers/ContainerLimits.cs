using System.Globalization;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>The spellings of the container limits in the configuration, shared by the validator and the create request.</summary>
public static class ContainerLimits
{
    /// <summary>The smallest memory limit the Docker engine accepts.</summary>
    public const long MinimumMemoryBytes = 6 * 1024 * 1024;

    /// <summary>The capability that stands for every capability in Docker's CapDrop.</summary>
    public const string AllCapabilities = "ALL";

    // The Linux capabilities Docker 20.10 and later know, without the CAP_ prefix.
    private static readonly HashSet<string> KnownCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE",
        "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN",
        "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE",
        "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
    };

    /// <summary>"256m", "1.5g", "512k", "1048576b" or plain bytes; units are powers of 1024, as in `docker run -m`.</summary>
    public static bool TryParseMemory(string text, out long bytes)
    {
        bytes = 0;
        var value = text.Trim().ToLowerInvariant();
        if (value.Length == 0)
        {
            return false;
        }

        var multiplier = value[^1] switch
        {
            'b' => 1L,
            'k' => 1024L,
            'm' => 1024L * 1024,
            'g' => 1024L * 1024 * 1024,
            _ => 0L,
        };
        var number = multiplier == 0 ? value : value[..^1];
        multiplier = multiplier == 0 ? 1 : multiplier;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0
            || amount > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = (long)(amount * multiplier);
        return bytes > 0;
    }

    /// <summary>The name Docker expects ("NET_RAW" for "cap_net_raw"), or null when it is no Linux capability.</summary>
    public static string? CapabilityName(string text, bool allowAll)
    {
        var name = text.Trim().ToUpperInvariant();
        name = name.StartsWith("CAP_", StringComparison.Ordinal) ? name[4..] : name;
        return KnownCapabilities.Contains(name) || (allowAll && name == AllCapabilities) ? name : null;
    }
}
