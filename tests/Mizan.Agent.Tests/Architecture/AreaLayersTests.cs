using Mizan.Agent.Apps;

namespace Mizan.Agent.Tests.Architecture;

public class AreaLayersTests
{
    private static readonly System.Reflection.Assembly Agent = typeof(AppCatalog).Assembly;

    [Fact]
    public void UpwardUses_Agent_NoAreaUsesOneAboveIt()
    {
        var violations = AreaLayers.UpwardUses(Agent, AreaLayers.Root, AreaLayers.TopDown);

        Assert.True(violations.Count == 0, "An area uses one above it:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Namespaces_Agent_EachBelongsToAnArea()
    {
        var outside = Agent.GetTypes()
            .Select(type => type.Namespace ?? "")
            .Where(space => space.StartsWith(AreaLayers.Root + ".", StringComparison.Ordinal))
            .Where(space => space != "Mizan.Agent.V1") // generated from proto/
            .Where(space => !AreaLayers.TopDown.Any(area =>
                space == $"{AreaLayers.Root}.{area}"
                || space.StartsWith($"{AreaLayers.Root}.{area}.", StringComparison.Ordinal)))
            .Distinct()
            .ToList();

        Assert.Empty(outside);
    }

    [Theory]
    [InlineData("Upper", "Lower")]
    [InlineData("Lower", "Upper")]
    public void UpwardUses_TwoAreasUsingEachOther_FailsInEitherOrder(string top, string bottom)
    {
        var violations = AreaLayers.UpwardUses(typeof(AreaLayersTests).Assembly, "Mizan.Agent.Tests.Architecture.Knot", [top, bottom]);

        Assert.Single(violations);
        Assert.Contains($"({bottom})", violations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void UpwardUses_DownwardUseOnly_Passes()
    {
        Assert.Empty(AreaLayers.UpwardUses(typeof(AreaLayersTests).Assembly, "Mizan.Agent.Tests.Architecture.Chain", ["Upper", "Lower"]));
    }
}
