using System.Reflection;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Where the repository and the built programs under test are.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The build configuration of this test assembly; the agent and mizanctl are built with the same one.</summary>
    public static string Configuration =>
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string AgentDll => Built("agent", "mizan-agent.dll");

    public static string MizanCtlDll => Built("control", "mizanctl.dll");

    private static string Built(string projectFolder, string fileName)
    {
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", fileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution ({Configuration}) before running the integration tests", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MizanAgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No MizanAgent.sln above {AppContext.BaseDirectory}");
    }
}
