namespace Mizan.Systemd.Tests.Fixtures;

public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

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
