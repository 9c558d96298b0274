using Google.Protobuf;

namespace Mizan.Control.Output;

public static class JsonOutput
{
    // One object per line (JSON Lines), so a pipeline can read events as they arrive.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public static string Format(IMessage message) => Formatter.Format(message);
}
