namespace Mizan.Agent.Runtime.Containers;

/// <summary>
/// What Docker's state says is wrong with a container, in the words the check step, the self-checks and auto-heal all
/// show: the one place an exit, a restart or an out-of-memory kill becomes text.
/// </summary>
public static class ContainerFailure
{
    public const string OutOfMemory = "killed: out of memory";

    private const string OutOfMemoryHint = "it went over Container:Memory; raise the limit or find what grows";

    /// <summary>128 + SIGKILL: what both an out-of-memory kill and a <c>docker kill</c> exit with.</summary>
    private const long KilledExitCode = 137;

    /// <summary>
    /// Docker marks an out-of-memory kill from its own event, which can land just after the exit it caused: a SIGKILL
    /// exit not (yet) marked as one is looked at again for up to this long, so the message says which it was.
    /// </summary>
    private static readonly TimeSpan OutOfMemorySettle = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan OutOfMemorySettleInterval = TimeSpan.FromMilliseconds(50);

    /// <param name="countRestartsAsFailure">
    /// True for a freshly started container, where any restart means it crashed. False for one that has served for a
    /// while, where a crash Docker recovered from long ago must not fail it for ever.
    /// </param>
    /// <returns>Null when nothing is wrong as far as Docker knows.</returns>
    public static string? Describe(ContainerRunState? state, bool countRestartsAsFailure) => state switch
    {
        null => "the container is gone",
        { Running: false, OomKilled: true } or { Restarting: true, OomKilled: true } =>
            $"the container was {OutOfMemory} ({OutOfMemoryHint})",
        { Running: false } or { Restarting: true } => $"the container exited with code {state.ExitCode}",
        { RestartCount: > 0, OomKilled: true } when countRestartsAsFailure =>
            $"the container was {OutOfMemory} and restarted {state.RestartCount} time(s) ({OutOfMemoryHint})",
        { RestartCount: > 0 } when countRestartsAsFailure => $"the container exited and was restarted {state.RestartCount} time(s)",
        { HealthStatus: "unhealthy" } => "the image's Docker HEALTHCHECK reports unhealthy",
        _ => null,
    };

    /// <summary>
    /// <see cref="Describe"/> of <paramref name="state"/>, after asking the engine again while it shows a SIGKILL exit
    /// that Docker may not have marked as out of memory yet.
    /// </summary>
    public static async Task<string?> DescribeSettledAsync(
        IContainerRuntime containers,
        string containerId,
        ContainerRunState? state,
        bool countRestartsAsFailure,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var settled = time.GetUtcNow() + OutOfMemorySettle;
        while (IsKillNotMarkedOutOfMemory(state) && time.GetUtcNow() < settled)
        {
            await Task.Delay(OutOfMemorySettleInterval, time, cancellationToken);
            state = await containers.InspectStateAsync(containerId, cancellationToken);
        }

        return Describe(state, countRestartsAsFailure);
    }

    private static bool IsKillNotMarkedOutOfMemory(ContainerRunState? state) =>
        state is { ExitCode: KilledExitCode, OomKilled: false } && (!state.Running || state.Restarting);
}
