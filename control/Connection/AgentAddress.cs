namespace Mizan.Control.Connection;

public enum AgentTransport
{
    UnixSocket,
    Http,

    /// <summary>TCP with mutual TLS: a client certificate, and the agent's certificate pinned by thumbprint.</summary>
    Https,
}

/// <summary>Where mizan-agent listens, as given by --agent or MIZAN_AGENT.</summary>
public sealed record AgentAddress(AgentTransport Transport, string SocketPath, Uri? HttpUri)
{
    public const string EnvironmentVariable = "MIZAN_AGENT";
    public const string DefaultValue = "unix:///run/mizan-agent/agent.sock";

    public static AgentAddress UnixSocket(string path) => new(AgentTransport.UnixSocket, path, null);

    public static AgentAddress Http(Uri uri) => new(AgentTransport.Http, "", uri);

    public static AgentAddress Https(Uri uri) => new(AgentTransport.Https, "", uri);

    /// <summary>The --agent value if given, else MIZAN_AGENT, else the packaged socket path.</summary>
    public static AgentAddress Resolve(string? optionValue, Func<string, string?> environment)
    {
        var value = Blank(optionValue) ?? Blank(environment(EnvironmentVariable)) ?? DefaultValue;
        return Parse(value);
    }

    /// <exception cref="UsageException">The address is neither a unix socket nor http(s)://host:port.</exception>
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

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host)
            && uri.AbsolutePath == "/"
            && string.IsNullOrEmpty(uri.Query)
            && string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.Scheme == Uri.UriSchemeHttps ? Https(uri) : Http(uri);
        }

        throw new UsageException(
            $"--agent '{value}' is not a valid agent address; " +
                "expected unix:///absolute/path.sock, /absolute/path.sock, https://host:port (mutual TLS) or http://host:port.");
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
