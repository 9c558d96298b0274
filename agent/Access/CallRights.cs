using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>What a call needs: to look (viewer), to change one app (deployer of that app), or anything else (admin).</summary>
public enum Right
{
    View,
    ChangeApp,
    Admin,
}

/// <summary>Maps each gRPC method to the right it needs. A method not listed here needs admin, so a new RPC is closed until it is classified.</summary>
public static class CallRights
{
    private const string AgentService = "mizan.agent.v1.AgentService";

    private static readonly HashSet<string> ViewMethods = new(StringComparer.Ordinal)
    {
        "GetStatus", "ListDeployments", "GetDeployment", "WatchDeployment", "ListAudit",
        "GetMetrics", "GetHealth",
    };

    private static readonly HashSet<string> ChangeAppMethods = new(StringComparer.Ordinal)
    {
        "Deploy", "Rollback", "Pull", "StartSlot", "CheckSlot", "Switch", "SetWeight",
    };

    private static readonly HashSet<string> ViewServices = new(StringComparer.Ordinal)
    {
        "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection",
    };

    /// <summary><paramref name="method"/> as gRPC names it: "/package.Service/Method".</summary>
    public static Right Required(string method)
    {
        var (service, name) = Split(method);
        if (ViewServices.Contains(service))
        {
            return Right.View;
        }

        if (service == AgentService)
        {
            if (ViewMethods.Contains(name))
            {
                return Right.View;
            }

            if (ChangeAppMethods.Contains(name))
            {
                return Right.ChangeApp;
            }
        }

        return Right.Admin;
    }

    /// <summary>Null when <paramref name="caller"/> may make the call, else why not ("ci (viewer) may not Deploy: needs deployer for app web").</summary>
    public static string? Refusal(Caller caller, string method, string? app)
    {
        var allowed = Required(method) switch
        {
            Right.View => true,
            Right.ChangeApp => app is { Length: > 0 } && caller.MayChange(app),
            _ => caller.Role == Role.Admin,
        };
        if (allowed)
        {
            return null;
        }

        var needs = Required(method) == Right.ChangeApp
            ? app is { Length: > 0 } ? $"deployer for app {app}" : "deployer for the app, and the request names none"
            : "admin";
        return $"{caller.Name} ({RoleName(caller.Role)}) may not {Split(method).Name}: needs {needs}";
    }

    public static string RoleName(Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Deployer => "deployer",
        _ => "admin",
    };

    /// <summary>"/package.Service/Method" → ("package.Service", "Method").</summary>
    public static (string Service, string Name) Split(string method)
    {
        var trimmed = method.TrimStart('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? (trimmed, trimmed) : (trimmed[..slash], trimmed[(slash + 1)..]);
    }
}
