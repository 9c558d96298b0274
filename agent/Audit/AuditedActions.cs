namespace Mizan.Agent.Audit;

/// <summary>The RPCs that change something on the server: these are audited and rate limited.</summary>
public static class AuditedActions
{
    private static readonly HashSet<string> Changing = new(StringComparer.Ordinal) { "Deploy", "Rollback", "Pull", "StartSlot", "Switch" };

    /// <summary>"/mizan.agent.v1.AgentService/Deploy" → "Deploy".</summary>
    public static string ActionOf(string method) => method[(method.LastIndexOf('/') + 1)..];

    public static bool ChangesSomething(string method) =>
        method.StartsWith("/mizan.agent.v1.AgentService/", StringComparison.Ordinal) && Changing.Contains(ActionOf(method));
}
