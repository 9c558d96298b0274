using Mizan.Agent.V1;

namespace Mizan.Control;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int AgentUnreachable = 3;

    /// <summary>Another deploy, rollback, primitive step or auto-heal of the app holds its lock: retry when it ends.</summary>
    public const int AppBusy = 4;

    /// <summary><c>start</c> refused to replace the live slot's container.</summary>
    public const int SlotIsLive = 5;

    /// <summary><c>check</c> found no container in the slot.</summary>
    public const int SlotHasNoContainer = 6;

    /// <summary><c>switch</c> refused to send traffic to a slot that failed its health check.</summary>
    public const int SlotUnhealthy = 7;

    /// <summary><c>switch</c> refused to send traffic to a build that a failed or interrupted deploy left in the slot.</summary>
    public const int SlotNeverServed = 8;

    /// <summary><c>switch</c> refused to send traffic to a slot whose image the app's image policy no longer allows.</summary>
    public const int SlotImageNotAllowed = 9;

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
          4    the app is busy: another deploy, rollback, primitive step or auto-heal of it is
               running (retry when it ends)
          5    `start` refused: the slot asked for is live (leave --slot out to use the standby)
          6    `check` found no container in the slot (start one first)
          7    `switch` refused: the slot failed its health check, so it gets no traffic
          8    `switch` refused: the slot holds a build a failed or interrupted deploy left there,
               which never served (deploy it, or start it again with `start`)
          9    `switch` refused: the slot's image is one the app's image policy no longer allows
               (deploy an allowed image, or widen Apps:APP:ImagePolicy and restart the agent)
          130  interrupted by Ctrl+C (the deployment continues on the agent)
        """;

    public static int ForDeploymentState(DeploymentState state) => state switch
    {
        DeploymentState.Succeeded => Success,
        _ => Failed,
    };
}
