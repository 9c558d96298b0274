using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public class AgentOptionsValidatorTests
{
    private static AgentOptions ValidOptions() => new()
    {
        Apps =
        {
            ["web"] = new AppOptions
            {
                Image = "localhost:5000/web",
                BluePort = 18081,
                GreenPort = 18082,
                Upstream = new UpstreamOptions { Name = "web_backend", File = "/etc/nginx/mizan/web.conf" },
            },
        },
    };

    [Fact]
    public void Validate_Defaults_HaveNoErrors()
    {
        Assert.Empty(AgentOptionsValidator.Validate(new AgentOptions()));
    }

    [Fact]
    public void Validate_ValidApp_HasNoErrors()
    {
        Assert.Empty(AgentOptionsValidator.Validate(ValidOptions()));
    }

    [Theory]
    [InlineData("Apps:web:GreenPort", "same-ports")]
    [InlineData("Apps:web:Image", "image-with-tag")]
    [InlineData("Apps:web:Upstream:Name", "injected-upstream-name")]
    [InlineData("Apps:web:Health:SuccessesNeeded", "zero-successes")]
    [InlineData("Apps:web:Verify:Url", "relative-verify-url")]
    [InlineData("Apps:web:Volumes:0", "bad-volume")]
    [InlineData("Agent:SocketPath", "relative-socket")]
    [InlineData("Nginx:ContainerName", "container-mode-without-target")]
    [InlineData("Checks:Interval", "zero-check-interval")]
    [InlineData("Checks:DiskFreeFailingPercent", "failing-above-warning")]
    [InlineData("Retention:KeepImages", "negative-keep-images")]
    [InlineData("Retention:KeepAuditFor", "zero-keep-audit")]
    [InlineData("Apps:web:AutoHeal:FailuresBeforeAction", "zero-failures-before-action")]
    public void Validate_Mistake_NamesTheKey(string key, string mistake)
    {
        var options = ValidOptions();
        var app = options.Apps["web"];
        switch (mistake)
        {
            case "same-ports":
                app.GreenPort = app.BluePort;
                break;
            case "zero-check-interval":
                options.Checks.Interval = TimeSpan.Zero;
                break;
            case "failing-above-warning":
                options.Checks.DiskFreeFailingPercent = 20;
                break;
            case "negative-keep-images":
                options.Retention.KeepImages = -1;
                break;
            case "zero-keep-audit":
                options.Retention.KeepAuditFor = TimeSpan.Zero;
                break;
            case "zero-failures-before-action":
                app.AutoHeal.FailuresBeforeAction = 0;
                break;
            case "image-with-tag":
                app.Image = "localhost:5000/web:v1";
                break;
            case "injected-upstream-name":
                app.Upstream.Name = "x; } server {";
                break;
            case "zero-successes":
                app.Health.SuccessesNeeded = 0;
                break;
            case "relative-verify-url":
                app.Verify.Url = "/health";
                break;
            case "bad-volume":
                app.Volumes.Add("/srv/data");
                break;
            case "relative-socket":
                options.Agent.SocketPath = "agent.sock";
                break;
            case "container-mode-without-target":
                options.Nginx.Mode = NginxMode.Container;
                break;
        }

        var errors = AgentOptionsValidator.Validate(options);

        Assert.Single(errors);
        Assert.StartsWith(key + ":", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AppNameWithShellCharacters_IsRejected()
    {
        var options = ValidOptions();
        options.Apps["we b;"] = options.Apps["web"];
        options.Apps.Remove("web");

        Assert.Contains(AgentOptionsValidator.Validate(options), e => e.StartsWith("Apps:we b;:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Security:Clients:0:Name", "bad-name")]
    [InlineData("Security:Clients:1:Name", "duplicate-name")]
    [InlineData("Security:Clients:0:Thumbprints:0", "short-thumbprint")]
    [InlineData("Security:Clients:0:Thumbprints", "no-thumbprint")]
    [InlineData("Security:Clients:1:Thumbprints:0", "thumbprint-twice")]
    [InlineData("Security:Clients:0:Apps:0", "undeclared-app")]
    [InlineData("Security:Clients:0:Role", "undefined-role")]
    [InlineData("Security:Tcp:Address", "bad-address")]
    [InlineData("Security:Tcp:Port", "bad-port")]
    [InlineData("Security:Tcp:CertificatePath", "relative-certificate")]
    [InlineData("Security:LocalGroup", "bad-group")]
    [InlineData("Security:Tcp:MaxConnections", "no-connections")]
    [InlineData("Security:Tcp:MaxStreamsPerConnection", "no-streams")]
    [InlineData("Security:ReadsInFlightPerCaller", "no-reads")]
    [InlineData("Security:AuditedRefusalsPerMinute", "negative-refusals")]
    public void Validate_SecurityMistake_NamesTheKey(string key, string mistake)
    {
        var options = ValidOptions();
        var first = new TrustedClientOptions { Name = "ci-github", Role = Role.Deployer, Thumbprints = [new string('a', 64)], Apps = ["web"] };
        options.Security.Clients.Add(first);
        switch (mistake)
        {
            case "bad-name":
                first.Name = "ci github";
                break;
            case "duplicate-name":
                options.Security.Clients.Add(new TrustedClientOptions { Name = "ci-github", Thumbprints = [new string('b', 64)] });
                break;
            case "short-thumbprint":
                first.Thumbprints[0] = "abcdef";
                break;
            case "no-thumbprint":
                first.Thumbprints.Clear();
                break;
            case "thumbprint-twice":
                options.Security.Clients.Add(new TrustedClientOptions { Name = "other", Thumbprints = [new string('A', 64)] });
                break;
            case "undeclared-app":
                first.Apps[0] = "api";
                break;
            case "undefined-role":
                first.Role = (Role)7;
                break;
            case "bad-address":
                options.Security.Tcp.Address = "example.com";
                break;
            case "bad-port":
                options.Security.Tcp.Port = 0;
                break;
            case "relative-certificate":
                options.Security.Tcp.CertificatePath = "server.pfx";
                break;
            case "bad-group":
                options.Security.LocalGroup = "a;b";
                break;
            case "no-connections":
                options.Security.Tcp.MaxConnections = 0;
                break;
            case "no-streams":
                options.Security.Tcp.MaxStreamsPerConnection = 0;
                break;
            case "no-reads":
                options.Security.ReadsInFlightPerCaller = 0;
                break;
            case "negative-refusals":
                options.Security.AuditedRefusalsPerMinute = -1;
                break;
        }

        var errors = AgentOptionsValidator.Validate(options);

        Assert.Single(errors);
        Assert.StartsWith(key + ":", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WellFormedAllowedRepositoriesAndPrefixes_HaveNoErrors()
    {
        var options = ValidOptions();
        options.Apps["web"].ImagePolicy.AllowedRepositories =
            ["ghcr.io/org/api", "ghcr.io/org/", "localhost:5000/team/web", "localhost:5000/", "ghcr.io/", "org/api", "org/"];

        Assert.Empty(AgentOptionsValidator.Validate(options));
    }

    [Theory]
    [InlineData("ghcr.io/org/api:v1", "carries a tag or digest")]
    [InlineData("localhost:5000/web:v1", "write 'localhost:5000/web'")]
    [InlineData("ghcr.io/org/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "carries a tag or digest")]
    [InlineData("GHCR.io/org/api", "write 'ghcr.io/org/api'")]
    [InlineData("ghcr.io/Org/", "capital letters")]
    [InlineData("ghcr.io/org/*", "wildcard")]
    [InlineData("ghcr.io/*/api", "wildcard")]
    [InlineData("https://ghcr.io/org/api", "is a URL")]
    [InlineData("", "is empty")]
    [InlineData("  ", "is empty")]
    [InlineData("ghcr.io", "write 'ghcr.io/'")]
    [InlineData("localhost:5000", "registry host")]
    [InlineData("ghcr.io/org api", "not a well-formed repository")]
    [InlineData(" ghcr.io/org/api", "not a well-formed repository")]
    [InlineData("ghcr.io//", "not a well-formed repository")]
    [InlineData("bad_host:99/", "not a valid registry host")]
    [InlineData("ghcr.io/org..api", "not a well-formed repository")]
    public void Validate_MalformedAllowedRepository_NamesTheEntry(string entry, string expected)
    {
        var options = ValidOptions();
        options.Apps["web"].ImagePolicy.AllowedRepositories = ["ghcr.io/org/api", entry];

        var error = Assert.Single(AgentOptionsValidator.Validate(options));

        Assert.StartsWith($"Apps:web:ImagePolicy:AllowedRepositories:1: '{entry}' ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
