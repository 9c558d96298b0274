using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Access;

/// <summary>
/// Checks every string field of every request against <see cref="RequestFieldRules"/> before the handler runs, so no
/// RPC, today's or tomorrow's, can pass unbounded or hostile text into the agent. Refusals are INVALID_ARGUMENT.
/// </summary>
public sealed class RequestValidationInterceptor(TimeProvider time) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request);
        return continuation(request, responseStream, context);
    }

    // A Duration beyond TimeSpan's range (its seconds go up to 10,000 years) is out of bounds, not a crash.
    private static TimeSpan WindowOf(Duration duration) =>
        duration.Seconds is > 0 and < 400L * 24 * 3600 * 2 && duration.Nanos is >= 0 and < 1_000_000_000 ? duration.ToTimeSpan() : TimeSpan.MinValue;

    private void Validate(object request)
    {
        if (request is not IMessage message)
        {
            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var problem = (field.FieldType, value) switch
            {
                (FieldType.String, string text) => RequestFieldRules.Check(field.Name, text),
                (FieldType.Int32, int number) when field.Name == "limit" => RequestFieldRules.CheckLimit(number),
                (FieldType.Message, Timestamp timestamp) when field.Name == "commit_time" => Commits.CheckTime(timestamp.ToDateTimeOffset(), time.GetUtcNow()),
                (FieldType.Message, Duration duration) when field.Name == "window" => RequestFieldRules.CheckWindow(WindowOf(duration)),
                _ => null,
            };
            if (problem is not null)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"{message.Descriptor.Name}.{field.Name} {problem}"));
            }
        }
    }
}
