using System.Text.RegularExpressions;

namespace Mizan.Agent.Apps;

/// <summary>What an app may be called: the configuration's keys and every request's "app" field obey the same rule.</summary>
public static partial class AppNames
{
    public const string Rule = "1-63 of a-z 0-9 - _, starting with a letter or digit";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}\\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name);
}
