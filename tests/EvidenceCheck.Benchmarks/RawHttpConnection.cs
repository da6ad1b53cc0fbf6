using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection for the load phases, the way wrk drives a server: requests are bytes made
/// before the clock starts, an answer's status line and length are read, and its body is kept only when asked for.
/// Blocking calls on a thread of its own: on this 2-core machine the load generator shares the cores with the service,
/// and HttpClient (or async sockets) spent CPU per request that the service then did not have. Answers may come with a
/// Content-Length or chunked.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static RawHttpConnection Open(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return new RawHttpConnection(socket);
    }

    /// <summary>The head of a POST request with a body of <paramref name="length"/> bytes.</summary>
    public static byte[] Head(string path, int port, string apiKey, string contentType, int length) => Encoding.ASCII.GetBytes(
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Api-Key: {apiKey}\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\n\r\n");

    /// <summary>Sends a request (its head and body) and reads the whole answer.</summary>
    /// <returns>The status code, and the body when <paramref name="keepBody"/> (otherwise empty).</returns>
    public (int Status, byte[] Body) Send(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, bool keepBody)
    {
        SendAll(head);
        if (!body.IsEmpty) SendAll(body);

        var headEnd = Find("\r\n\r\n"u8);
        var headText = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        if (!headText.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || !int.TryParse(headText.AsSpan(9, 3), out var status))
            throw new InvalidDataException($"not an HTTP/1.1 answer: {headText[..Math.Min(40, headText.Length)]}");
        var output = keepBody ? new MemoryStream() : null;
        if (Header(headText, "content-length") is { } lengthText) Body(long.Parse(lengthText), output);
        else if (Header(headText, "transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            while (true)
            {
                var lineEnd = Find("\r\n"u8);
                var sizeText = Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0].Trim();
                _start = lineEnd + 2;
                var size = Convert.ToInt64(sizeText, 16);
                Body(size, output);
                _start = Find("\r\n"u8) + 2;
                if (size == 0) break;
            }
        }
        return (status, output?.ToArray() ?? []);
    }

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return line[(colon + 1)..].Trim();
        }
        return null;
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty) data = data[_socket.Send(data, SocketFlags.None)..];
    }

    /// <summary>Reads until <paramref name="marker"/> is buffered; returns where it starts.</summary>
    private int Find(ReadOnlySpan<byte> marker)
    {
        var searched = _start;
        while (true)
        {
            var at = _buffer.AsSpan(searched, _end - searched).IndexOf(marker);
            if (at >= 0) return searched + at;
            searched = Math.Max(_start, _end - marker.Length + 1);
            var before = _start;
            Fill();
            searched -= before - _start;
        }
    }

    private void Body(long length, MemoryStream? output)
    {
        while (length > 0)
        {
            if (_start == _end) Fill();
            var take = (int)Math.Min(length, _end - _start);
            output?.Write(_buffer, _start, take);
            _start += take;
            length -= take;
        }
    }

    /// <summary>Reads more from the socket, keeping what is buffered and not consumed at the front.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = _socket.Receive(_buffer.AsSpan(_end), SocketFlags.None);
        if (read == 0) throw new IOException("the service closed the connection");
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
