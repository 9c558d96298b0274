using Grpc.Health.V1;
using Grpc.HealthCheck;
using Mizan.Agent.Access;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.V1;

namespace Mizan.Agent.Api;

/// <summary>The gRPC services and the interceptor chain in front of them, for the composition root.</summary>
public static class ApiServices
{
    /// <summary>Above any honest request, below what would let one call tie up memory; 1 MB values still reach validation.</summary>
    public const int MaxReceiveMessageSize = 2 * 1024 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddGrpc(grpc =>
        {
            // First = outermost. They apply to every service mapped below, health and reflection included.
            // Audit first, so every refusal is recorded, an unauthenticated one included; it learns the caller when
            // authentication has run, and bounds what refusals write.
            grpc.Interceptors.Add<AuditInterceptor>();
            grpc.Interceptors.Add<AuthenticationInterceptor>();
            // After authentication, which knows the certificate: per-connection stream limit, and revocation on reload.
            grpc.Interceptors.Add<TcpCallInterceptor>();
            grpc.Interceptors.Add<RequestValidationInterceptor>();
            grpc.Interceptors.Add<AuthorizationInterceptor>();
            // Only calls that are valid and allowed count against the caller's allowance and reads in flight.
            grpc.Interceptors.Add<MutationRateLimitInterceptor>();
            grpc.Interceptors.Add<ReadConcurrencyInterceptor>();
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            grpc.MaxReceiveMessageSize = MaxReceiveMessageSize;
        });
        services.AddGrpcReflection();
        services.AddSingleton<HealthServiceImpl>();
        return services;
    }

    /// <summary>
    /// Maps the services. Until the agent has started, health says NOT_SERVING (not NOT_FOUND), so a probe that
    /// arrives early just waits; <see cref="MarkServing"/> flips it.
    /// </summary>
    public static void MapApi(this WebApplication app)
    {
        app.MapGrpcService<AgentGrpcService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        SetAgentHealth(app.Services, HealthCheckResponse.Types.ServingStatus.NotServing);
    }

    public static void MarkServing(IServiceProvider services) =>
        SetAgentHealth(services, HealthCheckResponse.Types.ServingStatus.Serving);

    private static void SetAgentHealth(IServiceProvider services, HealthCheckResponse.Types.ServingStatus status)
    {
        var health = services.GetRequiredService<HealthServiceImpl>();
        health.SetStatus("", status);
        health.SetStatus(AgentService.Descriptor.FullName, status);
    }
}
