using System.Text.RegularExpressions;
using Mizan.Agent.Access;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>Checks the configuration at start so a mistake stops the agent with the key that is wrong.</summary>
public static partial class AgentOptionsValidator
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}\\z")]
    private static partial Regex UpstreamNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}\\z")]
    private static partial Regex GroupNamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\\z")]
    private static partial Regex ClientNamePattern();

    public static IReadOnlyList<string> Validate(AgentOptions options)
    {
        var errors = new List<string>();
        RequireAbsolute(errors, "Agent:SocketPath", options.Agent.SocketPath);
        RequireAbsolute(errors, "Agent:DataDirectory", options.Agent.DataDirectory);
        RequireAbsolute(errors, "Agent:LogDirectory", options.Agent.LogDirectory);
        if (!Uri.TryCreate(options.Agent.DockerEndpoint, UriKind.Absolute, out var docker) || docker.Scheme is not ("unix" or "tcp" or "http"))
        {
            errors.Add($"Agent:DockerEndpoint: '{options.Agent.DockerEndpoint}' is not a Docker endpoint; use e.g. unix:///var/run/docker.sock");
        }

        RequirePositive(errors, "Agent:PullTimeout", options.Agent.PullTimeout);
        for (var i = 0; i < options.Registries.Count; i++)
        {
            var registry = options.Registries[i];
            if (registry.Server.Length == 0 || registry.Server.Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"Registries:{i}:Server: '{registry.Server}' must be a registry host such as ghcr.io or registry.example.com:5000");
            }

            if (registry.Username.Length == 0)
            {
                errors.Add($"Registries:{i}:Username: required");
            }
        }

        ValidateNginx(errors, options.Nginx);
        ValidateChecksAndRetention(errors, options.Checks, options.Retention);
        ValidateSecurity(errors, options.Security, options.Apps);
        ValidateNotifications(errors, options.Notifications, options.Apps);
        ValidateMetrics(errors, options.Metrics);

        var ports = new Dictionary<int, string>();
        var upstreamFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, app) in options.Apps)
        {
            ValidateApp(errors, name, app, ports, upstreamFiles);
        }

        ValidateTraffic(errors, options.Traffic, options.Apps, ports);

        return errors;
    }

    private static void ValidateChecksAndRetention(List<string> errors, SelfCheckOptions checks, RetentionOptions retention)
    {
        if (checks.Interval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add("Checks:Interval: must be at least 00:00:00.1 (the default is 00:00:10)");
        }

        if (checks.KeepResults is < 1 or > 10000)
        {
            errors.Add($"Checks:KeepResults: {checks.KeepResults} is out of range 1-10000");
        }

        if (checks.DiskFreeFailingPercent is < 0 or > 100 || checks.DiskFreeWarningPercent is < 0 or > 100)
        {
            errors.Add("Checks:DiskFreeWarningPercent / DiskFreeFailingPercent: must be percentages (0-100)");
        }
        else if (checks.DiskFreeFailingPercent > checks.DiskFreeWarningPercent)
        {
            errors.Add($"Checks:DiskFreeFailingPercent: {checks.DiskFreeFailingPercent} is above " +
                $"DiskFreeWarningPercent {checks.DiskFreeWarningPercent}; failing must be the lower threshold");
        }

        if (checks.CertificateWarningBefore < TimeSpan.Zero)
        {
            errors.Add("Checks:CertificateWarningBefore: must not be negative");
        }

        if (retention.Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Retention:Interval: must be at least 00:00:01 (the default is 01:00:00)");
        }

        if (retention.KeepImages is < 0 or > 1000)
        {
            errors.Add($"Retention:KeepImages: {retention.KeepImages} is out of range 0-1000");
        }

        RequirePositive(errors, "Retention:KeepHistoryFor", retention.KeepHistoryFor);
        RequirePositive(errors, "Retention:KeepAuditFor", retention.KeepAuditFor);
    }

    private static void ValidateNginx(List<string> errors, NginxOptions nginx)
    {
        if (nginx.Mode == NginxMode.Host)
        {
            RequireAbsolute(errors, "Nginx:Binary", nginx.Binary);
            if (nginx.ConfigFile.Length > 0)
            {
                RequireAbsolute(errors, "Nginx:ConfigFile", nginx.ConfigFile);
            }
        }
        else if (nginx.Mode == NginxMode.Helper)
        {
            RequireAbsolute(errors, "Nginx:HelperSocket", nginx.HelperSocket);
        }
        else if (nginx.ContainerName.Length == 0 && nginx.ContainerLabel.Length == 0)
        {
            errors.Add("Nginx:ContainerName: Container mode needs ContainerName or ContainerLabel (\"key=value\") to find the nginx container");
        }
        else if (nginx.ContainerLabel.Length > 0 && !nginx.ContainerLabel.Contains('=', StringComparison.Ordinal))
        {
            errors.Add($"Nginx:ContainerLabel: '{nginx.ContainerLabel}' must be \"key=value\"");
        }

        if (nginx.CommandTimeout <= TimeSpan.Zero)
        {
            errors.Add("Nginx:CommandTimeout: must be positive");
        }
    }

    private static void ValidateApp(List<string> errors, string name, AppOptions app, Dictionary<int, string> ports, Dictionary<string, string> upstreamFiles)
    {
        var key = $"Apps:{name}";
        if (!AppNames.IsValid(name))
        {
            errors.Add($"{key}: the app name must be 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }

        if (app.Image.Length == 0)
        {
            errors.Add($"{key}:Image: required (the image repository, e.g. ghcr.io/org/api)");
        }
        else if (!ImageReference.TryParse(app.Image, out var repository, out var error) || repository.Tag is not null || repository.Digest is not null)
        {
            errors.Add($"{key}:Image: '{app.Image}' must be a repository without tag or digest{(error is null ? "" : $" ({error})")}");
        }

        ValidateImagePolicy(errors, key, app.ImagePolicy);
        ValidatePort(errors, $"{key}:BluePort", app.BluePort, ports);
        ValidatePort(errors, $"{key}:GreenPort", app.GreenPort, ports);
        if (app.Network == AppNetwork.Published && app.ContainerPort is < 1 or > 65535)
        {
            errors.Add($"{key}:ContainerPort: the Published network needs the port the app listens on inside the container (1-65535)");
        }

        if (!app.Health.Path.StartsWith('/'))
        {
            errors.Add($"{key}:Health:Path: '{app.Health.Path}' must start with '/'");
        }

        RequirePositive(errors, $"{key}:Health:Interval", app.Health.Interval);
        RequirePositive(errors, $"{key}:Health:Timeout", app.Health.Timeout);
        RequirePositive(errors, $"{key}:Health:StartTimeout", app.Health.StartTimeout);
        if (app.Health.SuccessesNeeded is < 1 or > 100)
        {
            errors.Add($"{key}:Health:SuccessesNeeded: {app.Health.SuccessesNeeded} is out of range 1-100");
        }

        if (app.Verify.Url.Length > 0 && (!Uri.TryCreate(app.Verify.Url, UriKind.Absolute, out var verify) || verify.Scheme is not ("http" or "https")))
        {
            errors.Add($"{key}:Verify:Url: '{app.Verify.Url}' is not an http(s) URL");
        }

        RequirePositive(errors, $"{key}:Verify:Interval", app.Verify.Interval);
        RequirePositive(errors, $"{key}:Verify:Timeout", app.Verify.Timeout);
        if (app.Verify.SuccessesNeeded is < 1 or > 100)
        {
            errors.Add($"{key}:Verify:SuccessesNeeded: {app.Verify.SuccessesNeeded} is out of range 1-100");
        }

        if (!UpstreamNamePattern().IsMatch(app.Upstream.Name))
        {
            errors.Add($"{key}:Upstream:Name: '{app.Upstream.Name}' must be an nginx upstream name (letters, digits, '_')");
        }

        RequireAbsolute(errors, $"{key}:Upstream:File", app.Upstream.File);
        if (app.Upstream.File.Length > 0 && !upstreamFiles.TryAdd(app.Upstream.File, name))
        {
            errors.Add($"{key}:Upstream:File: '{app.Upstream.File}' is already owned by app '{upstreamFiles[app.Upstream.File]}'");
        }

        if (app.EnvFile.Length > 0)
        {
            RequireAbsolute(errors, $"{key}:EnvFile", app.EnvFile);
        }

        for (var i = 0; i < app.Volumes.Count; i++)
        {
            var parts = app.Volumes[i].Split(':');
            if (parts.Length is < 2 or > 3 || parts[1].Length == 0 || !parts[1].StartsWith('/') || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
            {
                errors.Add($"{key}:Volumes:{i}: '{app.Volumes[i]}' must be \"source:/container/path[:ro|rw]\"");
            }
        }

        foreach (var variable in app.Environment.Keys)
        {
            if (variable.Length == 0 || variable.Contains('=', StringComparison.Ordinal))
            {
                errors.Add($"{key}:Environment: '{variable}' is not a valid variable name");
            }
        }

        ValidateContainer(errors, key, app.Container);
        if (app.AutoHeal.FailuresBeforeAction is < 1 or > 1000)
        {
            errors.Add($"{key}:AutoHeal:FailuresBeforeAction: {app.AutoHeal.FailuresBeforeAction} is out of range 1-1000");
        }

        if (app.KeepStandbyFor < TimeSpan.Zero)
        {
            errors.Add($"{key}:KeepStandbyFor: must not be negative");
        }
    }

    private static void ValidateSecurity(List<string> errors, SecurityOptions security, Dictionary<string, AppOptions> apps)
    {
        if (!GroupNamePattern().IsMatch(security.LocalGroup))
        {
            errors.Add($"Security:LocalGroup: '{security.LocalGroup}' is not a group name");
        }

        if (!System.Net.IPAddress.TryParse(security.Tcp.Address, out _))
        {
            errors.Add($"Security:Tcp:Address: '{security.Tcp.Address}' is not an IP address (0.0.0.0 for all IPv4, :: for all, 127.0.0.1 for local only)");
        }

        if (security.Tcp.Port is < 1 or > 65535)
        {
            errors.Add($"Security:Tcp:Port: {security.Tcp.Port} is not a port (1-65535)");
        }

        if (security.Tcp.CertificatePath.Length > 0)
        {
            RequireAbsolute(errors, "Security:Tcp:CertificatePath", security.Tcp.CertificatePath);
        }

        RequireRange(errors, "Security:Tcp:MaxConnections", security.Tcp.MaxConnections, 1, 100_000);
        RequireRange(errors, "Security:Tcp:MaxStreamsPerConnection", security.Tcp.MaxStreamsPerConnection, 1, 1000);
        RequireRange(errors, "Security:ReadsInFlightPerCaller", security.ReadsInFlightPerCaller, 1, 1000);
        RequireRange(errors, "Security:AuditedRefusalsPerMinute", security.AuditedRefusalsPerMinute, 0, 10_000);

        var names = new HashSet<string>(StringComparer.Ordinal);
        var thumbprints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < security.Clients.Count; i++)
        {
            var client = security.Clients[i];
            var key = $"Security:Clients:{i}";
            if (!ClientNamePattern().IsMatch(client.Name))
            {
                errors.Add($"{key}:Name: '{client.Name}' must be 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit");
            }
            else if (!names.Add(client.Name))
            {
                errors.Add($"{key}:Name: '{client.Name}' is listed twice; give one client several thumbprints instead");
            }

            if (!Enum.IsDefined(client.Role))
            {
                errors.Add($"{key}:Role: must be Viewer, Deployer or Admin");
            }

            if (client.Thumbprints.Count == 0)
            {
                errors.Add($"{key}:Thumbprints: at least one SHA-256 thumbprint is needed (`mizanctl cert new` prints it)");
            }

            for (var t = 0; t < client.Thumbprints.Count; t++)
            {
                var thumbprint = client.Thumbprints[t];
                if (!Thumbprints.IsSha256(thumbprint))
                {
                    errors.Add($"{key}:Thumbprints:{t}: must be a SHA-256 thumbprint, 64 hex digits without separators");
                }
                else if (!thumbprints.TryAdd(thumbprint, client.Name))
                {
                    errors.Add(
                        $"{key}:Thumbprints:{t}: {Thumbprints.Prefix(thumbprint.ToLowerInvariant())} is already listed for client '{thumbprints[thumbprint]}'");
                }
            }

            for (var a = 0; a < client.Apps.Count; a++)
            {
                if (!apps.ContainsKey(client.Apps[a]))
                {
                    errors.Add($"{key}:Apps:{a}: '{client.Apps[a]}' is not an app declared under Apps");
                }
            }
        }
    }

    private static void ValidatePort(List<string> errors, string key, int port, Dictionary<int, string> ports)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{key}: {port} is not a port (1-65535)");
        }
        else if (!ports.TryAdd(port, key))
        {
            errors.Add($"{key}: port {port} is already used by {ports[port]}");
        }
    }

    private static void RequireAbsolute(List<string> errors, string key, string path)
    {
        if (path.Length == 0 || !Path.IsPathRooted(path))
        {
            errors.Add($"{key}: '{path}' must be an absolute path");
        }
    }

    // Metrics: the failure window of the DORA figures and the Prometheus endpoint.
    private static void ValidateMetrics(List<string> errors, MetricsOptions metrics)
    {
        if (metrics.FailureWindow <= TimeSpan.Zero || metrics.FailureWindow > TimeSpan.FromDays(30))
        {
            errors.Add($"Metrics:FailureWindow: '{metrics.FailureWindow}' must be a positive duration up to 30 days (e.g. 01:00:00)");
        }

        var prometheus = metrics.Prometheus;
        if (prometheus.Port is < 1 or > 65535)
        {
            errors.Add($"Metrics:Prometheus:Port: {prometheus.Port} must be 1-65535");
        }

        if (!System.Net.IPAddress.TryParse(prometheus.Address, out var address))
        {
            errors.Add($"Metrics:Prometheus:Address: '{prometheus.Address}' must be an IP address such as 127.0.0.1");
        }
        else if (!System.Net.IPAddress.IsLoopback(address) && !prometheus.AllowNonLoopback)
        {
            errors.Add($"Metrics:Prometheus:Address: '{prometheus.Address}' is not a loopback address; " +
                "/metrics has no authentication and names apps and images, so set Metrics:Prometheus:AllowNonLoopback to true only behind a firewall");
        }
    }

    private static void RequireRange(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key}: {value} is out of range {min}-{max}");
        }
    }

    private static void RequirePositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key}: must be a positive duration (hh:mm:ss)");
        }
    }
}
