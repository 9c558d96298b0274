using System.Net.Sockets;
using System.Text;

namespace Mizan.Agent.Tests.Hosting.Systemd;

/// <summary>A real datagram unix socket in a temp directory, standing where systemd's NOTIFY_SOCKET would be.</summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-notify-").FullName;
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocketListener()
    {
        Path = System.IO.Path.Combine(this.directory, "notify.sock");
        this.socket.Bind(new UnixDomainSocketEndPoint(Path));
        // A missing message fails the test after this long instead of hanging it.
        this.socket.ReceiveTimeout = 5000;
    }

    public string Path { get; }

    public string Receive()
    {
        var buffer = new byte[4096];
        var length = this.socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>True when no message is waiting (a message would already be queued: sends are synchronous).</summary>
    public bool IsEmpty => this.socket.Available == 0;

    public void Dispose()
    {
        this.socket.Dispose();
        Directory.Delete(this.directory, recursive: true);
    }
}
