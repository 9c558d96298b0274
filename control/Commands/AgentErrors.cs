using System.Net.Sockets;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Mizan.Agent.V1;
using Mizan.Control.Connection;

namespace Mizan.Control.Commands;

public sealed record AgentError(int ExitCode, string Message, string Hint);

/// <summary>Maps a failed RPC to an exit code, the agent's message and a hint of what to do.</summary>
public static class AgentErrors
{
    /// <summary>The ErrorInfo domain the agent names its reasons in.</summary>
    public const string ErrorDomain = "mizan.agent.v1";

    private static readonly EnumDescriptor Reasons = AgentReflection.Descriptor.FindTypeByName<EnumDescriptor>("ErrorReason");

    public static int ExitCodeFor(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.InvalidArgument or StatusCode.NotFound => ExitCodes.Usage,
        StatusCode.FailedPrecondition => ReasonOf(exception) switch
        {
            ErrorReason.LockHeld => ExitCodes.AppBusy,
            ErrorReason.SlotIsLive => ExitCodes.SlotIsLive,
            ErrorReason.SlotHasNoContainer => ExitCodes.SlotHasNoContainer,
            ErrorReason.SlotUnhealthy => ExitCodes.SlotUnhealthy,
            ErrorReason.SlotNeverServed => ExitCodes.SlotNeverServed,
            ErrorReason.SlotImageNotAllowed => ExitCodes.SlotImageNotAllowed,
            _ => ExitCodes.Failed,
        },
        _ when IsTransportFailure(exception) => ExitCodes.AgentUnreachable,
        _ => ExitCodes.Failed,
    };

    /// <summary>
    /// Why the agent refused a precondition, from the google.rpc.ErrorInfo in the status details;
    /// unspecified when there is none (an older agent) or it names a reason this mizanctl does not know.
    /// </summary>
    public static ErrorReason ReasonOf(RpcException exception)
    {
        var info = exception.GetRpcStatus()?.GetDetail<ErrorInfo>();
        return info?.Domain == ErrorDomain && Reasons.FindValueByName(info.Reason) is { } reason
            ? (ErrorReason)reason.Number
            : ErrorReason.Unspecified;
    }

    /// <summary>
    /// True when the client could not talk to the agent at all (socket missing, connection refused),
    /// as opposed to an UNAVAILABLE status the agent itself sent (e.g. Docker engine unreachable).
    /// Grpc.Net.Client only sets DebugException for failures on the client side.
    /// </summary>
    public static bool IsTransportFailure(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown
        && exception.Status.DebugException is { } debug
        && Chain(debug).Any(inner => inner is HttpRequestException or SocketException or IOException);

    public static AgentError Describe(RpcException exception, AgentAddress address, string? app = null)
    {
        var exitCode = ExitCodeFor(exception);
        if (exitCode == ExitCodes.AgentUnreachable)
        {
            var cause = DescribeCause(exception, address);
            return new AgentError(
                exitCode,
                $"cannot reach mizan-agent at {address}: {cause}",
                IsPermissionDenied(exception)
                    ? "permission denied on the agent socket: run as a user allowed to use it (see the socket's group), or with sudo."
                    : "is mizan-agent running? check `systemctl status mizan-agent` and the --agent address (or $MIZAN_AGENT).");
        }

        var hint = exception.StatusCode switch
        {
            StatusCode.InvalidArgument =>
                "check the arguments against the message above: apps are declared in the agent's configuration, an --image is a tag, a digest or " +
                    "a reference in the app's repository, a --percent is a step the app's front ports allow.",
            StatusCode.NotFound => "check the name or id: `mizanctl status` lists apps, `mizanctl history --app APP` lists deployments.",
            StatusCode.FailedPrecondition => PreconditionHint(ReasonOf(exception), app ?? "APP"),
            StatusCode.Unavailable => "the agent cannot reach a dependency (Docker engine or nginx): check `journalctl -u mizan-agent`.",
            StatusCode.Unimplemented => "the agent does not know this call: are mizanctl and mizan-agent the same version?",
            StatusCode.DeadlineExceeded => "the agent did not answer in time: check `journalctl -u mizan-agent`.",
            _ => "see the agent's log: `journalctl -u mizan-agent`.",
        };
        var message = exception.Status.Detail.Length > 0
            ? $"{exception.Status.Detail} ({exception.StatusCode})"
            : $"the agent answered {exception.StatusCode}";
        return new AgentError(exitCode, message, hint);
    }

    private static string PreconditionHint(ErrorReason reason, string app) => reason switch
    {
        ErrorReason.LockHeld =>
            $"another operation holds the app's lock: `mizanctl status --app {app}` shows its id, `mizanctl watch ID` follows a deploy; retry when it ends.",
        ErrorReason.SlotIsLive =>
            $"the live slot's container is never replaced in place: leave --slot out to start in the standby slot " +
                $"(`mizanctl status --app {app}` shows which is live).",
        ErrorReason.SlotHasNoContainer => $"start an image in that slot first: `mizanctl start --app {app} --image TAG`.",
        ErrorReason.SlotUnhealthy =>
            $"the slot must pass its health check before it gets traffic: `mizanctl check --app {app} --slot SLOT` shows why it fails.",
        ErrorReason.SlotNeverServed =>
            $"a build a failed or interrupted deploy left in the slot gets no traffic: deploy it (`mizanctl deploy --app {app} --image TAG`) " +
                "or start it again with `mizanctl start`.",
        ErrorReason.SlotImageNotAllowed =>
            $"the app's image policy no longer allows that slot's image: deploy an allowed image (`mizanctl deploy --app {app} --image TAG`), " +
                $"or add its repository to Apps:{app}:ImagePolicy:AllowedRepositories and restart the agent.",
        _ => $"the app's state does not allow this: `mizanctl status --app {app}` shows it.",
    };

    private static string DescribeCause(RpcException exception, AgentAddress address)
    {
        var innermost = Chain(exception.Status.DebugException!).Last();
        // .NET reports a missing unix socket file (ENOENT) as "Cannot assign requested address".
        return address.Transport == AgentTransport.UnixSocket
               && innermost is SocketException { SocketErrorCode: SocketError.AddressNotAvailable }
            ? $"no socket at {address.SocketPath}"
            : innermost.Message;
    }

    private static bool IsPermissionDenied(RpcException exception) =>
        Chain(exception.Status.DebugException!).OfType<SocketException>().Any(socket => socket.SocketErrorCode == SocketError.AccessDenied);

    internal static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
