using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>
/// Which configuration file the agent reads: <c>--config PATH</c>, or the default path. A file named on the command
/// line must exist; the default one may be missing (the built-in defaults then apply).
/// </summary>
public readonly record struct ConfigurationFile(string Path, bool Given)
{
    public const string DefaultPath = "/etc/mizan-agent/agent.json";

    public static ConfigurationFile Default { get; } = new(DefaultPath, Given: false);

    public static ConfigurationFile FromArguments(string[] args)
    {
        var index = Array.IndexOf(args, "--config");
        if (index < 0)
        {
            return Default;
        }

        return index + 1 < args.Length
            ? new ConfigurationFile(args[index + 1], Given: true)
            : throw new InvalidConfigurationException("--config", ["--config needs a path"]);
    }
}
