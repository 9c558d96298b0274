using System.Globalization;
using System.Text.Json.Nodes;

namespace Mizan.Bench.Modes;

/// <summary>
/// The app settings both agents run with, written into their configuration and printed beside the figures they shape.
/// Health and Verify are the agent's defaults: the first probe goes at once, then 2 ms apart (doubling while the app
/// does not answer, up to the interval), so a fast app is healthy within milliseconds. The self-checks run every
/// second and auto-heal acts after two failed live checks, so the `docker kill` rounds end in seconds.
/// </summary>
public static class AgentSettings
{
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(2);
    public const int HealthSuccessesNeeded = 3;
    public static readonly TimeSpan HealthStartTimeout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan VerifyInterval = TimeSpan.FromMilliseconds(200);
    public const int VerifySuccessesNeeded = 3;
    public static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan ChecksInterval = TimeSpan.FromSeconds(1);
    public const int FailuresBeforeAction = 2;
    public static readonly TimeSpan KeepStandbyFor = TimeSpan.FromHours(1);
    public const int FrontPorts = 10;

    /// <summary>Thousands of rollbacks in a few minutes: far above the default 30 changing calls a minute.</summary>
    public const int MutationsPerMinute = 1_000_000;

    public static string Describe() =>
        $"Health: Interval {Seconds(HealthInterval)}, Timeout {Seconds(HealthTimeout)}, SuccessesNeeded {HealthSuccessesNeeded} " +
        $"(probes at once, then 2 ms apart); Verify: Interval {Seconds(VerifyInterval)}, SuccessesNeeded {VerifySuccessesNeeded}, " +
        $"Timeout {Seconds(VerifyTimeout)}; Checks:Interval {Seconds(ChecksInterval)}, AutoHeal:FailuresBeforeAction {FailuresBeforeAction}; " +
        $"KeepStandbyFor {KeepStandbyFor.TotalHours:0} h";

    public static JsonObject Health() => new()
    {
        ["Path"] = "/health",
        ["Interval"] = Duration(HealthInterval),
        ["Timeout"] = Duration(HealthTimeout),
        ["SuccessesNeeded"] = HealthSuccessesNeeded,
        ["StartTimeout"] = Duration(HealthStartTimeout),
    };

    public static JsonObject Verify(Uri url) => new()
    {
        ["Url"] = url.ToString(),
        ["Interval"] = Duration(VerifyInterval),
        ["SuccessesNeeded"] = VerifySuccessesNeeded,
        ["Timeout"] = Duration(VerifyTimeout),
    };

    public static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
