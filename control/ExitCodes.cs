using Mizan.Agent.V1;

namespace Mizan.Control;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int AgentUnreachable = 3;
    public const int AnotherDeployRunning = 4;

    /// <summary>The shell convention for SIGINT; the deployment itself keeps running on the agent.</summary>
    public const int Interrupted = 130;

    public const string HelpText =
        """
        Exit codes:
          0    done
          1    failed: the deployment ended FAILED (live traffic untouched), ROLLED_BACK (traffic
               switched back to the previous slot) or INTERRUPTED (agent stopped); the message says
               which. Also any other error reported by the agent, an unhealthy `check`, or a
               `health` that finds a check failing or an incident open (warnings alone exit 0).
          2    bad usage or invalid input (including an unknown app or deployment id)
          3    agent unreachable (after --retries), or its certificate does not match
               --agent-thumbprint (possibly an attacker), or the stream ended before the result
               (the deployment continues on the agent: re-attach with `mizanctl watch ID`)
          4    another deploy of that app is running
          130  interrupted by Ctrl+C (the deployment continues on the agent)
        """;

    public static int ForDeploymentState(DeploymentState state) => state switch
    {
        DeploymentState.Succeeded => Success,
        _ => Failed,
    };
}
