namespace Mizan.Agent.Apps.Options;

public sealed class InvalidConfigurationException(string path, IReadOnlyList<string> errors)
    : Exception($"The configuration {path} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
