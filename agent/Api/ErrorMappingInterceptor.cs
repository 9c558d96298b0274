using System.Globalization;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Mizan.Agent.Apps;
using Mizan.Agent.V1;
using Status = Grpc.Core.Status;

namespace Mizan.Agent.Api;

/// <summary>
/// Turns the agent's error vocabulary into gRPC status codes, so every RPC means the same thing by the same code.
/// A refused precondition also carries a google.rpc.ErrorInfo naming its <see cref="ErrorReason"/>.
/// </summary>
public sealed class ErrorMappingInterceptor : Interceptor
{
    /// <summary>The ErrorInfo domain of the agent's reasons.</summary>
    public const string ErrorDomain = "mizan.agent.v1";

    // The proto names ("LOCK_HELD"), not the C# ones, are what travel in ErrorInfo.reason.
    private static readonly EnumDescriptor Reasons = AgentReflection.Descriptor.FindTypeByName<EnumDescriptor>("ErrorReason");

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ToRpcException(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ToRpcException(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public static RpcException? ToRpcException(Exception exception) => exception switch
    {
        InvalidRequestException => new RpcException(new Status(StatusCode.InvalidArgument, exception.Message)),
        LockHeldException held => Refused(held.Message, ErrorReason.LockHeld, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app"] = held.App,
            ["holder"] = held.Holder.Value,
            ["what"] = held.What,
            ["since"] = held.Since.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        }),
        SlotPreconditionException slot => Refused(slot.Message, ReasonOf(slot.Precondition), []),
        DependencyUnavailableException => new RpcException(new Status(StatusCode.Unavailable, exception.Message)),
        NotFoundException => new RpcException(new Status(StatusCode.NotFound, exception.Message)),
        PermissionDeniedException => new RpcException(new Status(StatusCode.PermissionDenied, exception.Message)),
        RateLimitedException => new RpcException(new Status(StatusCode.ResourceExhausted, exception.Message)),
        _ => null,
    };

    private static ErrorReason ReasonOf(SlotPrecondition precondition) => precondition switch
    {
        SlotPrecondition.IsLive => ErrorReason.SlotIsLive,
        SlotPrecondition.HasNoContainer => ErrorReason.SlotHasNoContainer,
        SlotPrecondition.Unhealthy => ErrorReason.SlotUnhealthy,
        SlotPrecondition.NeverServed => ErrorReason.SlotNeverServed,
        SlotPrecondition.ImageNotAllowed => ErrorReason.SlotImageNotAllowed,
        _ => throw new ArgumentOutOfRangeException(nameof(precondition), precondition, "no error reason for this precondition"),
    };

    private static RpcException Refused(string message, ErrorReason reason, Dictionary<string, string> metadata)
    {
        var info = new ErrorInfo { Domain = ErrorDomain, Reason = Reasons.FindValueByNumber((int)reason).Name };
        info.Metadata.Add(metadata);
        return new Google.Rpc.Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = message,
            Details = { Any.Pack(info) },
        }.ToRpcException();
    }
}
