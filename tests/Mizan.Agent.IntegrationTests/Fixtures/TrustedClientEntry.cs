using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>One entry of Security:Clients in the agent configuration.</summary>
public sealed record TrustedClientEntry(string Name, string Role, IReadOnlyList<string> Thumbprints, IReadOnlyList<string> Apps)
{
    public JsonObject ToJson() => new()
    {
        ["Name"] = Name,
        ["Role"] = Role,
        ["Thumbprints"] = new JsonArray([.. Thumbprints.Select(t => JsonValue.Create(t))]),
        ["Apps"] = new JsonArray([.. Apps.Select(a => JsonValue.Create(a))]),
    };

    /// <summary>Rewrites Security:Clients in the configuration file, leaving everything else as it is (the agent re-reads it on SIGHUP).</summary>
    public static void Rewrite(string configFile, IEnumerable<TrustedClientEntry> clients)
    {
        var root = JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        var security = root["Security"]?.AsObject() ?? throw new InvalidOperationException("The configuration has no Security section");
        security["Clients"] = new JsonArray([.. clients.Select(c => (JsonNode)c.ToJson())]);
        File.WriteAllText(configFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
