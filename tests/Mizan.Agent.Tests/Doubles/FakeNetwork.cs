using System.Net;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Probes;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>
/// 127.0.0.1 as the probes see it, with no sockets: a slot's port answers as its <see cref="FakeContainer"/> does
/// (refused when nothing runs there), and an app's Verify:Url answers as nginx would, from the slot the
/// <see cref="FakeTrafficRouter"/> routes to, naming it in X-Mizan-Upstream. Give it to an HttpProbe.
/// </summary>
public sealed class FakeNetwork(AgentOptions options, FakeContainerRuntime containers, FakeTrafficRouter router) : HttpMessageHandler
{
    private readonly Lock gate = new();
    private readonly List<Uri> requests = [];

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>The requests that went through nginx (an app's Verify:Url), not straight to a slot.</summary>
    public int ThroughNginx(string app) =>
        options.Apps[app].Verify.Url is { Length: > 0 } url ? Requests.Count(uri => uri == new Uri(url)) : 0;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        lock (gate)
        {
            requests.Add(uri);
        }

        foreach (var (name, app) in options.Apps)
        {
            if (app.Verify.Url.Length > 0 && uri == new Uri(app.Verify.Url))
            {
                return Task.FromResult(Nginx(name, app, uri));
            }
        }

        foreach (var (name, app) in options.Apps)
        {
            foreach (var slot in new[] { Slot.Blue, Slot.Green })
            {
                if (uri.Port == AppCatalog.PortOf(app, slot) && containers.InSlot(name, slot) is { Running: true } container)
                {
                    return Task.FromResult(new HttpResponseMessage((HttpStatusCode)Status(app, container, uri)));
                }
            }
        }

        throw new HttpRequestException($"Connection refused ({uri.Host}:{uri.Port})");
    }

    private HttpResponseMessage Nginx(string name, AppOptions app, Uri uri)
    {
        if (router.RoutedOf(name) is not { } slot)
        {
            return new HttpResponseMessage(HttpStatusCode.BadGateway);
        }

        var container = containers.InSlot(name, slot);
        var status = container is { Running: true } ? Status(app, container, uri) : (int)HttpStatusCode.BadGateway;
        var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Add(HttpProbe.ServedByHeader, $"127.0.0.1:{AppCatalog.PortOf(app, slot)}");
        return response;
    }

    private static int Status(AppOptions app, FakeContainer container, Uri uri) => container.Answer(uri.AbsolutePath == app.Health.Path);
}
