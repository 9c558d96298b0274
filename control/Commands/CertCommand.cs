using System.CommandLine;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>`mizanctl cert new`: makes a client certificate locally; does not talk to the agent.</summary>
public static class CertCommand
{
    public static Command Create(GlobalOptions globalOptions)
    {
        var name = new Option<string>("--name")
        {
            Description = "Name of the caller (the certificate's CN and the file name), e.g. ci-github",
            HelpName = "NAME",
            Required = true,
        };
        var outDirectory = new Option<string>("--out")
        {
            Description = "Directory to write NAME.pfx into (mode 0600)",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var days = new Option<int>("--days")
        {
            Description = "Validity in days",
            HelpName = "N",
            DefaultValueFactory = _ => ClientCertificateFactory.DefaultDays,
        };

        var newCommand = new Command(
            "new",
            "Make a self-signed client certificate (ECDSA P-256) for mutual TLS; prints its SHA-256 thumbprint and a base64 bundle for a CI secret");
        newCommand.Options.Add(name);
        newCommand.Options.Add(outDirectory);
        newCommand.Options.Add(days);
        newCommand.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            NewClientCertificate certificate;
            try
            {
                certificate = ClientCertificateFactory.CreateFile(
                    parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(outDirectory), parseResult.GetValue(days), DateTimeOffset.UtcNow);
            }
            catch (UsageException exception)
            {
                await error.WriteLineAndFlushAsync($"mizanctl cert new: {exception.Message}\nhint: see `mizanctl cert new --help`.", CancellationToken.None);
                return ExitCodes.Usage;
            }

            var text = globalOptions.GetOutputFormat(parseResult) == OutputFormat.Json
                ? NewCertificateRenderer.Json(certificate)
                : NewCertificateRenderer.Text(certificate);
            await output.WriteLineAndFlushAsync(text, cancellationToken);
            return ExitCodes.Success;
        });

        var command = new Command("cert", "Client certificates for mutual TLS with the agent");
        command.Subcommands.Add(newCommand);
        return command;
    }
}
