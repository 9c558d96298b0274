namespace Mizan.Control.Output;

public enum OutputFormat
{
    Text,
    Json,
}
