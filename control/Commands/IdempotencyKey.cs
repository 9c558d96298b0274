namespace Mizan.Control.Commands;

/// <summary>
/// DeployRequest.idempotency_key: one key per mizanctl invocation, sent again with every retry of it, so the agent
/// returns the deployment already started instead of starting a second one.
/// </summary>
public static class IdempotencyKey
{
    /// <summary>The agent's bound for the field.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// --idempotency-key if given; under GitHub Actions github-RUN_ID-RUN_ATTEMPT-JOB (the same for a re-run of a
    /// step, new for a re-run of the workflow); else a new GUID.
    /// </summary>
    /// <exception cref="UsageException">The explicit key is longer than the agent accepts or holds control characters.</exception>
    public static string Resolve(string? explicitValue, Func<string, string?> environment, Func<Guid> newGuid)
    {
        if (!string.IsNullOrWhiteSpace(explicitValue))
        {
            var key = explicitValue.Trim();
            if (key.Length > MaxLength || key.Any(char.IsControl))
            {
                throw new UsageException($"--idempotency-key must be at most {MaxLength} printable characters.");
            }

            return key;
        }

        if (environment("GITHUB_ACTIONS") == "true" && environment("GITHUB_RUN_ID") is { Length: > 0 } runId)
        {
            var key = $"github-{runId}-{Or(environment("GITHUB_RUN_ATTEMPT"), "1")}-{Or(environment("GITHUB_JOB"), "job")}";
            return key.Length <= MaxLength ? key : key[..MaxLength];
        }

        return newGuid().ToString("D");
    }

    private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
}
