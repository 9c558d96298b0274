using System.Reflection;
using NetArchTest.Rules;

namespace Mizan.Agent.Tests.Architecture;

/// <summary>
/// The layer rule of agent/: its areas in order from the top, each allowed to use only the areas after it. Two areas
/// that use each other always break it, whatever their order, since one of them then uses an area above it.
/// </summary>
public static class AreaLayers
{
    public const string Root = "Mizan.Agent";

    /// <summary>The agent's areas, top first; the README's folder map lists them in this order.</summary>
    public static readonly string[] TopDown = ["Hosting", "Api", "Access", "Reporting", "Retention", "Healing", "Deployments", "Runtime", "Apps"];

    /// <summary>Every use of an area above a type's own, as "Type (its area) uses Area".</summary>
    public static IReadOnlyList<string> UpwardUses(Assembly assembly, string root, IReadOnlyList<string> topDown)
    {
        var violations = new List<string>();
        for (var level = 1; level < topDown.Count; level++)
        {
            foreach (var above in topDown.Take(level))
            {
                var result = Types.InAssembly(assembly)
                    .That().ResideInNamespace($"{root}.{topDown[level]}")
                    .ShouldNot().HaveDependencyOn($"{root}.{above}")
                    .GetResult();
                violations.AddRange((result.FailingTypeNames ?? []).Select(type => $"{type} ({topDown[level]}) uses {above}"));
            }
        }

        return violations;
    }
}
