using System.Text.Json.Nodes;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class JsonPayloadRendererTests
{
    [Fact]
    public void Render_DeployEvent_HasTheAgentSchemaInUtcWithSortedDetails()
    {
        var body = WebhookPayloads.Render(WebhookFormat.Json, SampleEvents.DeploySucceeded(), "srv1");

        AssertJson.Equal(
            """
            {"schema":"mizan.agent.event.v1","kind":"DeploySucceeded","at":"2026-11-27T07:00:00Z","app":"web",
             "summary":"Deploy of reg/web:v2 to web succeeded","deployment_id":"d-1",
             "details":{"image":"reg/web:v2","to_slot":"green"},"host":"srv1"}
            """,
            body);
    }

    [Fact]
    public void Render_AgentWideEventWithoutDeployment_KeepsEmptyAppAndNullDeploymentId()
    {
        var check = new AgentEvent(
            AgentEventKind.CheckFailing,
            SampleEvents.At,
            "",
            "Disk / has 4% free",
            Details: new Dictionary<string, string> { ["check"] = "disk" });

        var body = WebhookPayloads.Render(WebhookFormat.Json, check, "srv1");

        AssertJson.Equal(
            """
            {"schema":"mizan.agent.event.v1","kind":"CheckFailing","at":"2026-11-27T07:00:00Z","app":"",
             "summary":"Disk / has 4% free","deployment_id":null,"details":{"check":"disk"},"host":"srv1"}
            """,
            body);
    }

    [Fact]
    public void Render_SummaryWithQuotesAndMarkup_IsValidJsonWithTheSameText()
    {
        var tricky = SampleEvents.Of(AgentEventKind.DeployFailed) with { Summary = "image \"x\" <b> & \\ failed\n@everyone" };

        var body = WebhookPayloads.Render(WebhookFormat.Json, tricky, "srv1");

        Assert.Equal(tricky.Summary, JsonNode.Parse(body)!["summary"]!.GetValue<string>());
    }
}
