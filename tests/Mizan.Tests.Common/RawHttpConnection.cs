using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mizan.Tests.Common;

/// <summary>What one request over a <see cref="RawHttpConnection"/> got.</summary>
public sealed record RawHttpResponse(int Status, string Body, string Upstream, bool ServerCloses)
{
    public override string ToString() => $"{Status} body='{Body}' X-Mizan-Upstream='{Upstream}'{(ServerCloses ? " (Connection: close)" : "")}";
}

/// <summary>
/// One HTTP/1.1 connection over a plain socket, for clients that must never retry: a request is written once, and a
/// reset, an early close or a time-out is an exception for the caller to count, never a silent second attempt (which
/// HttpClient may make for a request that failed on a reused connection). Requests go one at a time; the connection
/// stays open until the server says "Connection: close" or something fails.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;

    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly string host;
    private readonly byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    private RawHttpConnection(Socket socket, string host)
    {
        this.socket = socket;
        this.host = host;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>False once the server said it closes the connection, or a request on it failed.</summary>
    public bool Reusable { get; private set; } = true;

    public static async Task<RawHttpConnection> ConnectAsync(Uri target, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(target.Host), target.Port), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawHttpConnection(socket, target.Authority);
    }

    /// <summary>
    /// Sends one request and reads its whole answer. Throws IOException (or SocketException, OperationCanceledException
    /// on <paramref name="cancellationToken"/>) when the connection fails; the connection is then no longer reusable.
    /// </summary>
    /// <param name="body">A POST's body, sent with Content-Length; null for none.</param>
    /// <param name="close">Sends "Connection: close": the server ends the connection after answering.</param>
    public async Task<RawHttpResponse> SendAsync(string method, string path, byte[]? body, bool close, CancellationToken cancellationToken)
    {
        if (!Reusable)
        {
            throw new InvalidOperationException("the connection is closed or failed; open another one");
        }

        Reusable = false;
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: mizan-tests-raw\r\n");
        if (body is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n");
        }

        head.Append(close ? "Connection: close\r\n\r\n" : "\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        if (body is null)
        {
            await stream.WriteAsync(headBytes, cancellationToken);
        }
        else
        {
            var request = new byte[headBytes.Length + body.Length];
            headBytes.CopyTo(request, 0);
            body.CopyTo(request, headBytes.Length);
            await stream.WriteAsync(request, cancellationToken);
        }

        var response = await ReadResponseAsync(method == "HEAD", cancellationToken);
        Reusable = !close && !response.ServerCloses;
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        socket.Dispose();
    }

    private async Task<RawHttpResponse> ReadResponseAsync(bool head, CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(cancellationToken);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"not an HTTP status line: '{Shorten(statusLine)}'");
        }

        long? contentLength = null;
        var chunked = false;
        var closes = parts[0] == "HTTP/1.0";
        var upstream = "";
        var headBytes = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            headBytes += line.Length + 2;
            if (headBytes > MaxHeadBytes)
            {
                throw new IOException("response head larger than 64 KB");
            }

            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new IOException($"malformed header line: '{Shorten(line)}'");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                // HTTP/1.1 keeps the connection unless told "close"; HTTP/1.0 closes it unless told "keep-alive".
                closes = value.Contains("close", StringComparison.OrdinalIgnoreCase)
                    || (closes && !value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase));
            }
            else if (name.Equals(NginxClient.UpstreamHeader, StringComparison.OrdinalIgnoreCase))
            {
                upstream = upstream.Length == 0 ? value : upstream + "," + value;
            }
        }

        byte[] body;
        if (head || status is 204 or 304 || (status >= 100 && status < 200))
        {
            body = [];
        }
        else if (chunked)
        {
            body = await ReadChunkedAsync(cancellationToken);
        }
        else if (contentLength is { } length)
        {
            body = await ReadExactlyAsync(checked((int)length), cancellationToken);
        }
        else
        {
            // No length: the body runs to the end of the connection.
            body = await ReadToEndAsync(cancellationToken);
            closes = true;
        }

        return new RawHttpResponse(status, Encoding.UTF8.GetString(body).Trim(), upstream, closes);
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken);
            var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                // Trailers, up to the blank line.
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size, cancellationToken));
            if ((await ReadLineAsync(cancellationToken)).Length != 0)
            {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end)
            {
                await FillAsync(cancellationToken);
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = newline < 0 ? end : newline;
            line.Append(Encoding.ASCII.GetString(buffer, start, stop - start));
            if (line.Length > MaxHeadBytes)
            {
                throw new IOException("line longer than 64 KB");
            }

            if (newline >= 0)
            {
                start = newline + 1;
                return line.ToString().TrimEnd('\r');
            }

            start = end;
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (start == end)
            {
                await FillAsync(cancellationToken);
            }

            var take = Math.Min(count - filled, end - start);
            Buffer.BlockCopy(buffer, start, result, filled, take);
            start += take;
            filled += take;
        }

        return result;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        body.Write(buffer, start, end - start);
        start = end;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        start = 0;
        end = await stream.ReadAsync(buffer, cancellationToken);
        if (end == 0)
        {
            throw new IOException("the server closed the connection before the response was complete");
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
