using Microsoft.Extensions.Configuration;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public class MetricsOptionsValidationTests
{
    [Theory]
    [InlineData("00:00:00", "Metrics:FailureWindow")]
    [InlineData("31.00:00:00", "Metrics:FailureWindow")]
    public void Validate_FailureWindowOutOfRange_NamesTheKey(string window, string key)
    {
        var options = new AgentOptions { Metrics = { FailureWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) } };

        Assert.Contains(AgentOptionsValidator.Validate(options), error => error.StartsWith(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.0.0.0", 9464, "Metrics:Prometheus:Address")]
    [InlineData("10.1.2.3", 9464, "Metrics:Prometheus:Address")]
    [InlineData("localhost", 9464, "Metrics:Prometheus:Address")]
    [InlineData("127.0.0.1", 0, "Metrics:Prometheus:Port")]
    [InlineData("127.0.0.1", 70000, "Metrics:Prometheus:Port")]
    public void Validate_PrometheusMistake_NamesTheKey(string address, int port, string key)
    {
        var options = new AgentOptions { Metrics = { Prometheus = { Address = address, Port = port } } };

        Assert.Contains(AgentOptionsValidator.Validate(options), error => error.StartsWith(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("0.0.0.0", true)]
    public void Validate_LoopbackOrExplicitlyAllowed_IsAccepted(string address, bool allowNonLoopback)
    {
        var options = new AgentOptions { Metrics = { Prometheus = { Address = address, AllowNonLoopback = allowNonLoopback } } };

        Assert.Empty(AgentOptionsValidator.Validate(options));
    }

    [Fact]
    public void Load_ExampleConfiguration_BindsTheMetricsSection()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "packaging", "agent.example.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path)).Build();

        var options = AgentConfiguration.Load(configuration, path);

        Assert.Equal(TimeSpan.FromHours(1), options.Metrics.FailureWindow);
        Assert.Equal(
            ("127.0.0.1", 9464, false),
            (options.Metrics.Prometheus.Address, options.Metrics.Prometheus.Port, options.Metrics.Prometheus.AllowNonLoopback));
    }
}
