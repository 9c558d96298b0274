using Grpc.Core;
using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>Whether an agent answers on the socket at all, before anything is measured.</summary>
public static class AgentProbe
{
    /// <summary>True when the agent answers GetStatus within a few seconds.</summary>
    public static async Task<(bool Reachable, string Why)> IsReachableAsync(AgentService.AgentServiceClient agent, CancellationToken cancellationToken)
    {
        try
        {
            await agent.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
            return (true, "");
        }
        catch (RpcException exception)
            when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            return (false, $"{exception.StatusCode}: {exception.Status.Detail}");
        }
    }
}
