using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Grpc.Core.Status;
using Mizan.Control.Commands;
using Mizan.Control.Connection;

namespace Mizan.Control.Tests.Commands;

public class AgentErrorsTests
{
    private static readonly AgentAddress Socket = AgentAddress.UnixSocket("/run/mizan-agent/agent.sock");

    private static RpcException FromAgent(StatusCode code, string detail) => new(new Status(code, detail));

    private static RpcException Refused(string reason, string detail, string domain = "mizan.agent.v1") =>
        new Google.Rpc.Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = detail,
            Details = { Any.Pack(new ErrorInfo { Domain = domain, Reason = reason }) },
        }.ToRpcException();

    private static RpcException FromTransport(SocketError socketError) =>
        new(new Status(
            StatusCode.Unavailable,
            "Error starting gRPC call.",
            new HttpRequestException("connect failed", new SocketException((int)socketError))));

    [Theory]
    [InlineData(StatusCode.InvalidArgument, 2)]
    [InlineData(StatusCode.NotFound, 2)]
    [InlineData(StatusCode.FailedPrecondition, 1)]
    [InlineData(StatusCode.Unavailable, 1)]
    [InlineData(StatusCode.Internal, 1)]
    [InlineData(StatusCode.Unknown, 1)]
    [InlineData(StatusCode.PermissionDenied, 1)]
    public void ExitCodeFor_StatusSentByAgent_MapsToExitCode(StatusCode code, int expected) =>
        Assert.Equal(expected, AgentErrors.ExitCodeFor(FromAgent(code, "agent says no")));

    [Theory]
    [InlineData("LOCK_HELD", 4)]
    [InlineData("SLOT_IS_LIVE", 5)]
    [InlineData("SLOT_HAS_NO_CONTAINER", 6)]
    [InlineData("SLOT_UNHEALTHY", 7)]
    [InlineData("SLOT_NEVER_SERVED", 8)]
    [InlineData("SLOT_IMAGE_NOT_ALLOWED", 9)]
    [InlineData("SOMETHING_NEWER", 1)]
    public void ExitCodeFor_RefusedPrecondition_MapsItsReasonToItsOwnCode(string reason, int expected) =>
        Assert.Equal(expected, AgentErrors.ExitCodeFor(Refused(reason, "refused")));

    [Fact]
    public void ExitCodeFor_LockHeldNamedByAnotherDomain_IsNotTakenForTheAgents() =>
        Assert.Equal(1, AgentErrors.ExitCodeFor(Refused("LOCK_HELD", "refused", domain: "example.com")));

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.AddressNotAvailable)]
    [InlineData(SocketError.AccessDenied)]
    public void ExitCodeFor_ConnectionFailure_ReturnsAgentUnreachable(SocketError socketError) =>
        Assert.Equal(3, AgentErrors.ExitCodeFor(FromTransport(socketError)));

    [Fact]
    public void ExitCodeFor_UnavailableWithNonTransportDebugException_ReturnsFailed()
    {
        var exception = new RpcException(new Status(StatusCode.Unavailable, "Docker engine unreachable", new InvalidOperationException()));

        Assert.Equal(1, AgentErrors.ExitCodeFor(exception));
    }

    [Fact]
    public void Describe_MissingSocket_NamesPathAndSystemctlHint()
    {
        var error = AgentErrors.Describe(FromTransport(SocketError.AddressNotAvailable), Socket);

        Assert.Equal(3, error.ExitCode);
        Assert.Contains("no socket at /run/mizan-agent/agent.sock", error.Message, StringComparison.Ordinal);
        Assert.Contains("systemctl status mizan-agent", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SocketPermissionDenied_HintsAtPermissions()
    {
        var error = AgentErrors.Describe(FromTransport(SocketError.AccessDenied), Socket);

        Assert.Contains("permission denied", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_UnavailableFromAgent_KeepsAgentMessage()
    {
        var error = AgentErrors.Describe(FromAgent(StatusCode.Unavailable, "Docker engine unreachable"), Socket);

        Assert.Equal(1, error.ExitCode);
        Assert.Contains("Docker engine unreachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("systemctl", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_LockHeld_HintNamesAppAndWatch()
    {
        var error = AgentErrors.Describe(Refused("LOCK_HELD", "deploy d-7 of web is running"), Socket, "web");

        Assert.Equal(4, error.ExitCode);
        Assert.Contains("deploy d-7 of web is running", error.Message, StringComparison.Ordinal);
        Assert.Contains("mizanctl status --app web", error.Hint, StringComparison.Ordinal);
        Assert.Contains("mizanctl watch", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SLOT_IS_LIVE", "leave --slot out")]
    [InlineData("SLOT_HAS_NO_CONTAINER", "mizanctl start --app web")]
    [InlineData("SLOT_UNHEALTHY", "mizanctl check --app web")]
    public void Describe_SlotPrecondition_KeepsAgentMessageAndSaysWhatToDo(string reason, string hint)
    {
        var error = AgentErrors.Describe(Refused(reason, "slot blue of 'web' says no"), Socket, "web");

        Assert.Contains("slot blue of 'web' says no", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("watch", error.Hint, StringComparison.Ordinal);
    }
}
