using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Api;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Tests.Api;

public class ErrorMappingInterceptorTests
{
    private static readonly OperationId Holder = OperationId.New(OperationKind.Deployment, new FakeTimeProvider());

    [Fact]
    public void ToRpcException_LockHeld_IsFailedPreconditionWithReasonAndHolder()
    {
        var since = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

        var mapped = ErrorMappingInterceptor.ToRpcException(
            new LockHeldException("a deploy of app 'web' is already running", "web", Holder, "deploy of web:v2", since));

        Assert.NotNull(mapped);
        Assert.Equal(StatusCode.FailedPrecondition, mapped.StatusCode);
        Assert.Equal("a deploy of app 'web' is already running", mapped.Status.Detail);
        var info = mapped.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(("mizan.agent.v1", "LOCK_HELD"), (info.Domain, info.Reason));
        Assert.Equal("web", info.Metadata["app"]);
        Assert.Equal(Holder.Value, info.Metadata["holder"]);
        Assert.Equal("deploy of web:v2", info.Metadata["what"]);
        Assert.Equal("2026-11-27T10:00:00Z", info.Metadata["since"]);
    }

    [Theory]
    [InlineData(SlotPrecondition.IsLive, "SLOT_IS_LIVE")]
    [InlineData(SlotPrecondition.HasNoContainer, "SLOT_HAS_NO_CONTAINER")]
    [InlineData(SlotPrecondition.Unhealthy, "SLOT_UNHEALTHY")]
    public void ToRpcException_SlotPrecondition_CarriesItsOwnReason(SlotPrecondition precondition, string reason)
    {
        var mapped = ErrorMappingInterceptor.ToRpcException(new SlotPreconditionException(precondition, "slot blue of 'web' is live"));

        Assert.NotNull(mapped);
        Assert.Equal(StatusCode.FailedPrecondition, mapped.StatusCode);
        Assert.Equal("slot blue of 'web' is live", mapped.Status.Detail);
        Assert.Equal(reason, mapped.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public void ToRpcException_EveryReasonOfTheProto_HasASlotPreconditionOrTheLock()
    {
        var mappedReasons = Enum.GetValues<SlotPrecondition>()
            .Select(p => ErrorMappingInterceptor.ToRpcException(new SlotPreconditionException(p, "x"))!.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason)
            .Append("LOCK_HELD")
            .Order(StringComparer.Ordinal);
        var protoReasons = V1.AgentReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason").Values
            .Where(v => v.Number != 0)
            .Select(v => v.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(protoReasons, mappedReasons);
    }

    [Theory]
    [MemberData(nameof(PlainErrors))]
    public void ToRpcException_OtherErrors_MapToTheirCodeWithoutDetails(Exception error, StatusCode expected)
    {
        var mapped = ErrorMappingInterceptor.ToRpcException(error);

        Assert.NotNull(mapped);
        Assert.Equal(expected, mapped.StatusCode);
        Assert.Equal(error.Message, mapped.Status.Detail);
        Assert.Null(mapped.GetRpcStatus());
    }

    [Fact]
    public void ToRpcException_UnknownException_IsLeftToGrpc() =>
        Assert.Null(ErrorMappingInterceptor.ToRpcException(new InvalidOperationException("bug")));

    public static TheoryData<Exception, StatusCode> PlainErrors() => new()
    {
        { new InvalidRequestException("bad app"), StatusCode.InvalidArgument },
        { new DependencyUnavailableException("docker down"), StatusCode.Unavailable },
        { new NotFoundException("no such id"), StatusCode.NotFound },
        { new PermissionDeniedException("not yours"), StatusCode.PermissionDenied },
        { new RateLimitedException("slow down"), StatusCode.ResourceExhausted },
    };
}
