namespace Mizan.Agent.Apps.Events;

/// <summary>
/// Event kinds by name, as configuration lists them ("DeployFailed", any case). Not Enum.TryParse: it also takes
/// numbers and comma lists ("1", "DeployStarted,DeployFailed"), which would quietly mean some other kind.
/// </summary>
public static class AgentEventKindNames
{
    public static bool TryParse(string name, out AgentEventKind kind)
    {
        foreach (var candidate in Enum.GetValues<AgentEventKind>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
