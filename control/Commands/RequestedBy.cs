namespace Mizan.Control.Commands;

/// <summary>How mizanctl describes the caller to the agent (DeployRequest.requested_by).</summary>
public static class RequestedBy
{
    public static string Describe(string? explicitValue, Func<string, string?> environment, string hostName, string fallbackUserName)
    {
        if (!string.IsNullOrWhiteSpace(explicitValue))
        {
            return explicitValue.Trim();
        }

        if (environment("GITHUB_ACTIONS") == "true")
        {
            return $"github:{environment("GITHUB_REPOSITORY")}#{environment("GITHUB_RUN_ID")} by {environment("GITHUB_ACTOR")}";
        }

        var user = environment("USER");
        return $"{(string.IsNullOrWhiteSpace(user) ? fallbackUserName : user)}@{hostName}";
    }
}
