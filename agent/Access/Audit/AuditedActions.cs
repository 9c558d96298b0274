namespace Mizan.Agent.Access.Audit;

/// <summary>The RPCs that change something on the server: these are audited and rate limited.</summary>
public static class AuditedActions
{
    private static readonly HashSet<string> Changing = new(StringComparer.Ordinal) { "Deploy", "Rollback", "Pull", "StartSlot", "Switch", "SetWeight" };

    /// <summary>"/mizan.agent.v1.AgentService/Deploy" → "Deploy".</summary>
    public static string ActionOf(string method) => CallRights.Split(method).Name;

    // Each of these needs a deployer's right; CheckSlot needs it too but only looks.
    public static bool ChangesSomething(string method) =>
        CallRights.Required(method) == Right.ChangeApp && Changing.Contains(ActionOf(method));
}
