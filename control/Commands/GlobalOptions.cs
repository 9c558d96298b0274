using System.CommandLine;
using Mizan.Control.Connection;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>Options every verb accepts; recursive, so they may come before or after the verb.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Agent { get; } = new("--agent")
    {
        Description =
            $"Agent address: unix:///path.sock, /path.sock, https://host:port (mutual TLS) or http://host:port. " +
                $"Default: ${AgentAddress.EnvironmentVariable}, else {AgentAddress.DefaultValue}",
        HelpName = "ADDRESS",
        Recursive = true,
    };

    public Option<string?> AgentThumbprint { get; } = new("--agent-thumbprint")
    {
        Description =
            $"SHA-256 thumbprint of the agent's certificate (`mizan-agent cert show`); required with https. " +
                $"Default: ${ServerCertificatePin.EnvironmentVariable}",
        HelpName = "SHA256",
        Recursive = true,
    };

    public Option<string?> ClientCert { get; } = new("--client-cert")
    {
        Description =
            $"Client certificate for https, a PKCS#12 file (`mizanctl cert new`). Default: ${ClientCertificates.EnvironmentVariable} (base64 PKCS#12)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> ClientCertPassword { get; } = new("--client-cert-password")
    {
        Description = $"Password of the client certificate, if it has one. Default: ${ClientCertificates.PasswordEnvironmentVariable}",
        HelpName = "PASSWORD",
        Recursive = true,
    };

    public Option<int> Retries { get; } = CreateRetries();

    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "Output format",
        HelpName = "text|json",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    }.AcceptOnlyFromAmong("text", "json");

    public IEnumerable<Option> All => [Agent, AgentThumbprint, ClientCert, ClientCertPassword, Retries, Output];

    public OutputFormat GetOutputFormat(ParseResult parseResult) =>
        parseResult.GetValue(Output) == "json" ? OutputFormat.Json : OutputFormat.Text;

    private static Option<int> CreateRetries()
    {
        var retries = new Option<int>("--retries")
        {
            Description =
                $"Retries when the agent cannot be reached (connection refused or reset), with exponential backoff and jitter; 0 disables. " +
                    $"Default: {RetryPolicy.DefaultRetries}",
            HelpName = "N",
            DefaultValueFactory = _ => RetryPolicy.DefaultRetries,
            Recursive = true,
        };
        retries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 20)
            {
                result.AddError("--retries must be between 0 and 20.");
            }
        });
        return retries;
    }
}
