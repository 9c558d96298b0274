using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public class AgentOptionsValidatorNotificationsTests
{
    private const string SecretToken = "XyZsecretToken";

    private static AgentOptions WithWebhook(Action<WebhookOptions> change)
    {
        var webhook = new WebhookOptions { Url = $"https://hooks.slack.com/services/T0/B0/{SecretToken}", Format = WebhookFormat.Slack };
        change(webhook);
        var options = new AgentOptions
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
        options.Notifications.Webhooks.Add(new WebhookOptions { Name = "first", Url = "http://127.0.0.1:9000/hook" });
        options.Notifications.Webhooks.Add(webhook);
        return options;
    }

    [Fact]
    public void Validate_GoodWebhooks_HaveNoErrors()
    {
        var options = WithWebhook(w =>
        {
            w.Events = ["DeployFailed", "deployrolledback", "AutoHealed"];
            w.Apps = ["web"];
        });

        Assert.Empty(AgentOptionsValidator.Validate(options));
    }

    [Theory]
    [InlineData("Notifications:Webhooks:1:Url", "no-url")]
    [InlineData("Notifications:Webhooks:1:Url", "relative-url")]
    [InlineData("Notifications:Webhooks:1:Url", "ftp-url")]
    [InlineData("Notifications:Webhooks:1:Url", "no-scheme")]
    [InlineData("Notifications:Webhooks:1:Format", "unknown-format")]
    [InlineData("Notifications:Webhooks:1:Events:1", "unknown-event")]
    [InlineData("Notifications:Webhooks:1:Events:1", "numeric-event")]
    [InlineData("Notifications:Webhooks:1:Events:1", "event-list-in-one")]
    [InlineData("Notifications:Webhooks:1:Apps:0", "unknown-app")]
    [InlineData("Notifications:Webhooks:1:Timeout", "zero-timeout")]
    [InlineData("Notifications:Webhooks:1:MaxAttempts", "no-attempts")]
    [InlineData("Notifications:Webhooks:1:MaxAttempts", "too-many-attempts")]
    [InlineData("Notifications:Webhooks:1:Name", "duplicate-name")]
    [InlineData("Notifications:Webhooks:1:Name", "name-with-newline")]
    public void Validate_WebhookMistake_NamesTheKey(string key, string mistake)
    {
        var options = WithWebhook(w =>
        {
            switch (mistake)
            {
                case "no-url":
                    w.Url = "";
                    break;
                case "relative-url":
                    w.Url = $"/services/T0/B0/{SecretToken}";
                    break;
                case "ftp-url":
                    w.Url = $"ftp://hooks.slack.com/services/T0/B0/{SecretToken}";
                    break;
                case "no-scheme":
                    w.Url = $"hooks.slack.com/services/T0/B0/{SecretToken}";
                    break;
                case "unknown-format":
                    w.Format = (WebhookFormat)42;
                    break;
                case "unknown-event":
                    w.Events = ["DeployStarted", "DeployFail"];
                    break;
                case "numeric-event":
                    w.Events = ["DeployStarted", "1"];
                    break;
                case "event-list-in-one":
                    w.Events = ["DeployStarted", "DeployStarted,DeployFailed"];
                    break;
                case "unknown-app":
                    w.Apps = ["shop"];
                    break;
                case "zero-timeout":
                    w.Timeout = TimeSpan.Zero;
                    break;
                case "no-attempts":
                    w.MaxAttempts = 0;
                    break;
                case "too-many-attempts":
                    w.MaxAttempts = 11;
                    break;
                case "duplicate-name":
                    w.Name = "first";
                    break;
                case "name-with-newline":
                    w.Name = "ops\nfake log line";
                    break;
            }
        });

        var errors = AgentOptionsValidator.Validate(options);

        var error = Assert.Single(errors);
        Assert.StartsWith(key + ":", error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretToken, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadUrl_SaysWhyWithoutShowingIt()
    {
        var options = WithWebhook(w => w.Url = $"hooks.slack.com/services/T0/B0/{SecretToken}");

        var error = Assert.Single(AgentOptionsValidator.Validate(options));

        Assert.Equal("Notifications:Webhooks:1:Url: must be an absolute http:// or https:// URL (the value is not shown: webhook URLs hold secrets)", error);
    }
}
