using System.Text;
using System.Text.Json.Nodes;

namespace Mizan.Agent.Tests.Reporting.Notifications;

/// <summary>Compares JSON by structure and values (order of properties too), not by escaping or white space.</summary>
internal static class AssertJson
{
    public static void Equal(string expected, byte[] actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actualNode) && expectedNode!.ToJsonString() == actualNode!.ToJsonString(),
            $"Expected:{Environment.NewLine}{expectedNode!.ToJsonString()}{Environment.NewLine}Actual:{Environment.NewLine}{Encoding.UTF8.GetString(actual)}");
    }
}
