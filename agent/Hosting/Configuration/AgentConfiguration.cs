using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>Loads the one JSON file (environment variables MIZAN_Section__Key override it) and validates it.</summary>
public static class AgentConfiguration
{
    public const string EnvironmentPrefix = "MIZAN_";

    public static void AddSources(IConfigurationBuilder builder, ConfigurationFile file)
    {
        if (file.Given && !File.Exists(file.Path))
        {
            throw new InvalidConfigurationException(file.Path, ["the file does not exist; leave out --config to use the built-in defaults"]);
        }

        builder.AddJsonFile(file.Path, optional: true, reloadOnChange: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
    }

    /// <summary>Binds strictly (an unknown or mistyped key is an error that names it) and validates.</summary>
    public static AgentOptions Load(IConfiguration configuration, string path)
    {
        AgentOptions options;
        try
        {
            options = configuration.Get<AgentOptions>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new AgentOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidConfigurationException(path, [ex.Message + (ex.InnerException is null ? "" : " " + ex.InnerException.Message)]);
        }

        var errors = AgentOptionsValidator.Validate(options);
        return errors.Count == 0 ? options : throw new InvalidConfigurationException(path, errors);
    }
}
