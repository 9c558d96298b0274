using System.Text;

namespace Mizan.Control.Output;

/// <summary>
/// Workflow commands on stdout, and the step summary and step outputs files, of a GitHub Actions run.
/// </summary>
public sealed class GitHubActionsWriter(TextWriter stdout, string? stepSummaryPath, string? outputPath)
{
    /// <summary>The fence for agent and app text on stdout; closed before each of mizanctl's own commands.</summary>
    public WorkflowCommandFence Stdout { get; } = WorkflowCommandFence.ForStdout(stdout);

    /// <summary>Null unless running under GitHub Actions (GITHUB_ACTIONS=true).</summary>
    public static GitHubActionsWriter? FromEnvironment(Func<string, string?> environment, TextWriter stdout) =>
        environment("GITHUB_ACTIONS") == "true"
            ? new GitHubActionsWriter(stdout, Blank(environment("GITHUB_STEP_SUMMARY")), Blank(environment("GITHUB_OUTPUT")))
            : null;

    public Task ErrorAsync(string title, string message, CancellationToken cancellationToken) =>
        WriteCommandAsync("error", title, message, cancellationToken);

    public Task WarningAsync(string title, string message, CancellationToken cancellationToken) =>
        WriteCommandAsync("warning", title, message, cancellationToken);

    public async Task AppendStepSummaryAsync(string markdown, CancellationToken cancellationToken)
    {
        if (stepSummaryPath is not null)
        {
            await File.AppendAllTextAsync(stepSummaryPath, markdown.EndsWith('\n') ? markdown : markdown + "\n", cancellationToken);
        }
    }

    public async Task AppendOutputsAsync(IEnumerable<KeyValuePair<string, string>> outputs, CancellationToken cancellationToken)
    {
        if (outputPath is null)
        {
            return;
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in outputs)
        {
            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                // Multi-line values need the heredoc form, with a delimiter that cannot occur in the value.
                var delimiter = $"ghadelimiter_{Guid.NewGuid():N}";
                builder.Append(name).Append("<<").Append(delimiter).Append('\n')
                    .Append(value).Append('\n')
                    .Append(delimiter).Append('\n');
            }
            else
            {
                builder.Append(name).Append('=').Append(value).Append('\n');
            }
        }

        await File.AppendAllTextAsync(outputPath, builder.ToString(), cancellationToken);
    }

    /// <summary>Escapes the message part of a workflow command (after the final ::).</summary>
    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>Escapes a property value of a workflow command, such as title=.</summary>
    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);

    private async Task WriteCommandAsync(string command, string title, string message, CancellationToken cancellationToken)
    {
        await Stdout.CloseAsync();
        var line = $"::{command} title={EscapeProperty(title)}::{EscapeData(message)}";
        await stdout.WriteLineAsync(line.AsMemory(), cancellationToken);
        await stdout.FlushAsync(cancellationToken);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
