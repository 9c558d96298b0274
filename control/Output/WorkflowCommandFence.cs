using System.Security.Cryptography;
using System.Text;

namespace Mizan.Control.Output;

/// <summary>
/// Prints text that came from the agent or its apps (messages, log tails, details) on one stream. Under GitHub Actions
/// the runner acts on any line of a step's output that reads as a workflow command (<c>::add-mask::</c>,
/// <c>::set-output name=x::</c>, <c>##[...]</c>), so such text goes between <c>::stop-commands::TOKEN</c> and
/// <c>::TOKEN::</c>: while commands are stopped, only the token resumes them, and the text cannot know it. mizanctl's
/// own annotations stay outside: <see cref="GitHubActionsWriter"/> closes the fence before it writes one.
/// </summary>
/// <remarks>
/// The runner reads stdout and stderr on two threads and handles the stderr lines of each batch first, so the two
/// streams are not ordered against each other. Each stream therefore has its own token (a fence closing on one never
/// resumes commands while the other's is open), and stderr closes its fence after every message, so it is never
/// open when an annotation written after that message reaches the runner. stdout keeps its fence open from one line to
/// the next, which keeps the deploy's log readable, and closes it before an annotation and at the end of the run.
/// </remarks>
public sealed class WorkflowCommandFence
{
    private readonly TextWriter writer;
    private readonly string? token;
    private readonly bool closeAfterEachWrite;
    private bool open;

    private WorkflowCommandFence(TextWriter writer, string? token, bool closeAfterEachWrite)
    {
        this.writer = writer;
        this.token = token;
        this.closeAfterEachWrite = closeAfterEachWrite;
    }

    /// <summary>Not under GitHub Actions: lines are written as they are.</summary>
    public static WorkflowCommandFence None(TextWriter writer) => new(writer, null, closeAfterEachWrite: false);

    /// <summary>stdout under GitHub Actions: opened by the first line, closed by <see cref="CloseAsync"/>.</summary>
    public static WorkflowCommandFence ForStdout(TextWriter writer) => new(writer, NewToken(), closeAfterEachWrite: false);

    /// <summary>stderr under GitHub Actions: every message in a fence of its own.</summary>
    public static WorkflowCommandFence ForStderr(TextWriter writer) => new(writer, NewToken(), closeAfterEachWrite: true);

    /// <summary>The stream the fence guards; for mizanctl's own commands, after <see cref="CloseAsync"/>.</summary>
    public TextWriter Writer => writer;

    /// <summary>The run's token for this stream: 32 random hex digits; null when not under GitHub Actions.</summary>
    public string? Token => token;

    /// <summary>Writes <paramref name="text"/> as one or more lines and flushes, inside the fence under GitHub Actions.</summary>
    public async Task WriteLineAsync(string text, CancellationToken cancellationToken)
    {
        if (token is null)
        {
            await writer.WriteLineAndFlushAsync(text, cancellationToken);
            return;
        }

        // Opening, text and (for stderr) closing go in one write: the runner gets them in one read.
        var block = new StringBuilder();
        if (!open)
        {
            block.Append("::stop-commands::").Append(token).Append('\n');
        }

        block.Append(text);
        if (closeAfterEachWrite)
        {
            block.Append('\n').Append(Resume);
        }

        // Marked open before the write: should it fail half way, CloseAsync still writes the resume line.
        open = !closeAfterEachWrite;
        await writer.WriteLineAndFlushAsync(block.ToString(), cancellationToken);
    }

    /// <summary>
    /// Resumes workflow commands if this fence stopped them. Never cancelled: a fence left open would keep the runner
    /// from acting on any later command of the job, the annotations of the failure included.
    /// </summary>
    public async Task CloseAsync()
    {
        if (!open)
        {
            return;
        }

        open = false;
        await writer.WriteLineAndFlushAsync(Resume, CancellationToken.None);
    }

    private string Resume => $"::{token}::";

    private static string NewToken() => RandomNumberGenerator.GetHexString(32, lowercase: true);
}
