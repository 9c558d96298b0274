namespace Mizan.Control.Connection;

public enum AgentTransport
{
    UnixSocket,
    Http,
}

/// <summary>Where mizan-agent listens, as given by --agent or MIZAN_AGENT.</summary>
public sealed record AgentAddress(AgentTransport Transport, string SocketPath, Uri? HttpUri)
{
    public const string EnvironmentVariable = "MIZAN_AGENT";
    public const string DefaultValue = "unix:///run/mizan-agent/agent.sock";

    public static AgentAddress UnixSocket(string path) => new(AgentTransport.UnixSocket, path, null);

    public static AgentAddress Http(Uri uri) => new(AgentTransport.Http, "", uri);

    /// <summary>The --agent value if given, else MIZAN_AGENT, else the packaged socket path.</summary>
    public static AgentAddress Resolve(string? optionValue, Func<string, string?> environment)
    {
        var value = Blank(optionValue) ?? Blank(environment(EnvironmentVariable)) ?? DefaultValue;
        return Parse(value);
    }

    /// <exception cref="UsageException">The address is neither a unix socket nor http://host:port.</exception>
    public static AgentAddress Parse(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('/'))
        {
            return UnixSocket(trimmed);
        }

        if (trimmed.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return UnixSocket(ParseUnixPath(trimmed));
        }

        if (trimmed.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            // Mutual TLS is a separate issue: this is where client certificates will plug in.
            throw new UsageException(
                $"--agent '{value}': https is not supported yet; use unix:///path/to/agent.sock or http://host:port.");
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttp
            && !string.IsNullOrEmpty(uri.Host)
            && uri.AbsolutePath == "/"
            && string.IsNullOrEmpty(uri.Query))
        {
            return Http(uri);
        }

        throw new UsageException(
            $"--agent '{value}' is not a valid agent address; expected unix:///absolute/path.sock, /absolute/path.sock or http://host:port.");
    }

    public override string ToString() =>
        Transport == AgentTransport.UnixSocket ? $"unix://{SocketPath}" : HttpUri!.ToString().TrimEnd('/');

    private static string ParseUnixPath(string value)
    {
        // unix:///abs/path (three slashes) and the gRPC-style unix:/abs/path both name an absolute path.
        var rest = value["unix:".Length..];
        var path = rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : rest;
        if (!path.StartsWith('/') || path.Length == 1)
        {
            throw new UsageException(
                $"--agent '{value}': a unix socket address needs an absolute path, e.g. unix:///run/mizan-agent/agent.sock.");
        }

        return path;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
