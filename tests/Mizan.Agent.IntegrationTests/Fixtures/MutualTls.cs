using Grpc.Core;
using Grpc.Health.V1;
using Mizan.Agent.V1;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Calls over the agent's mutual-TLS listener, and what counts as refused there.</summary>
public static class MutualTls
{
    /// <summary>The cheapest call any trusted caller may make: grpc.health.v1 Check.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(TlsChannel channel, CancellationToken cancellationToken) =>
        (await new Health.HealthClient(channel.Channel).CheckAsync(
            new HealthCheckRequest(),
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken)).Status;

    /// <summary>A viewer's call that needs only SQLite: ListDeployments of <paramref name="app"/>.</summary>
    public static async Task<int> ListDeploymentsAsync(TlsChannel channel, string app, CancellationToken cancellationToken) =>
        (await new AgentService.AgentServiceClient(channel.Channel).ListDeploymentsAsync(
            new ListDeploymentsRequest { App = app },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken)).Deployments.Count;

    /// <summary>
    /// Asserts the call is refused: at the TLS handshake (the channel reports UNAVAILABLE or INTERNAL) or by the agent
    /// (UNAUTHENTICATED, PERMISSION_DENIED). Returns the status for the test's output.
    /// </summary>
    public static async Task<Status> AssertRefusedAsync(Func<Task> call, string why)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(
            exception.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unauthenticated or StatusCode.PermissionDenied,
            $"{why}: expected a refusal, got {exception.StatusCode}: {exception.Status.Detail}");
        return exception.Status;
    }
}
