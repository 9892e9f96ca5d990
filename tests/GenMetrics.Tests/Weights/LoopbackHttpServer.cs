using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GenMetrics.Tests.Weights;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (TcpListener, one request per connection) serving fixed routes.
/// A route can promise more bytes in Content-Length than it sends, to test truncated transfers.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public sealed record Route(int Status, byte[] Body, long? ContentLength = null);

    public LoopbackHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Requests => Volatile.Read(ref _requests);

    public void Serve(string path, Route route)
    {
        lock (_routes) _routes[path] = route;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string requestLine = await ReadHead(stream);
                Interlocked.Increment(ref _requests);
                string path = requestLine.Split(' ') is [_, var p, ..] ? Uri.UnescapeDataString(p) : "/";
                Route? route;
                lock (_routes) _routes.TryGetValue(path, out route);
                route ??= new Route(404, "not found"u8.ToArray());
                string reason = route.Status == 200 ? "OK" : route.Status == 404 ? "Not Found" : "Error";
                string head = $"HTTP/1.1 {route.Status} {reason}\r\nContent-Type: application/octet-stream\r\n" +
                    $"Content-Length: {route.ContentLength ?? route.Body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(route.Body);
                await stream.FlushAsync();
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client went away; nothing to do.
            }
        }
    }

    private static async Task<string> ReadHead(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1) head.Append((char)one[0]);
        return head.ToString().Split("\r\n")[0];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
