namespace Mizan.Control.Output;

public static class TextWriterExtensions
{
    /// <summary>Writes a line and flushes, so CI logs show progress as it happens.</summary>
    public static async Task WriteLineAndFlushAsync(this TextWriter writer, string text, CancellationToken cancellationToken)
    {
        await writer.WriteLineAsync(text.AsMemory(), cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }
}
