using System.Text;
using Microsoft.AspNetCore.Http;

namespace EvidenceCheck.Service.Tests;

public class RequestBodyTests
{
    private static readonly string Text = "{\"text\": \"Der Host zeigte Gewaltvideos. " + new string('ü', 15_000) + " 🕯\"}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_IsReadWhole_WithOrWithoutContentLength(bool declared)
    {
        // Without a length (chunked) the buffer starts at 16 KiB and grows; reads end inside two-byte characters.
        var bytes = Encoding.UTF8.GetBytes(Text);

        var body = await RequestBody.ReadAsync(Request(bytes, declared), limit: 1 << 20, CancellationToken.None);

        Assert.Equal(Text, body.Text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_OverTheLimit_IsRefused(bool declared)
    {
        var bytes = Encoding.UTF8.GetBytes(Text);

        Assert.True((await RequestBody.ReadAsync(Request(bytes, declared), limit: bytes.Length - 1, CancellationToken.None)).TooLarge);
        Assert.Equal(Text, (await RequestBody.ReadAsync(Request(bytes, declared), limit: bytes.Length, CancellationToken.None)).Text);
    }

    [Fact]
    public async Task Body_Empty_IsEmptyText()
    {
        Assert.Equal("", (await RequestBody.ReadAsync(Request([], declared: true), limit: 1024, CancellationToken.None)).Text);
        Assert.Equal("", (await RequestBody.ReadAsync(Request([], declared: false), limit: 1024, CancellationToken.None)).Text);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0xC3 }, 1, 2)]                     // a two-byte character cut off at the end
    [InlineData(new byte[] { 0x7B, 0x0A, 0x20, 0x80, 0x7D }, 2, 2)]   // a continuation byte alone, on line 2
    [InlineData(new byte[] { 0xC3, 0xBC, 0xED, 0xA0, 0x80 }, 1, 2)]   // ü, then a surrogate encoded in UTF-8 (CESU)
    public async Task Body_NotUtf8_SaysWhere(byte[] bytes, int line, int column)
    {
        var body = await RequestBody.ReadAsync(Request(bytes, declared: true), limit: 1024, CancellationToken.None);

        Assert.Null(body.Text);
        Assert.False(body.TooLarge);
        Assert.Contains("not UTF-8", body.Error!.Message);
        Assert.Equal((line, column), (body.Error.Line, body.Error.Position));
    }

    private static HttpRequest Request(byte[] bytes, bool declared)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new Trickle(bytes);
        context.Request.ContentLength = declared ? bytes.Length : null;
        return context.Request;
    }

    /// <summary>A body that arrives at most 7,001 bytes per read, as a network would deliver it.</summary>
    private sealed class Trickle(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7_001));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7_001)], cancellationToken);
    }
}

public class BatchSplitterTests
{
    private static (List<BatchSplitter.Item>? Items, Core.Contract.ContractError? Error) Split(string body) => BatchSplitter.Split(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Array_ItemsKeepTheirText_AndTheLineTheyStartOn()
    {
        var (items, error) = Split("[\n  {\"text\": \"a, [b] } \\\" ü\"},\n\n  {\"text\": \"六四 🕯\"}\u00A0\n]\n");

        Assert.Null(error);
        Assert.Equal(["{\"text\": \"a, [b] } \\\" ü\"}", "{\"text\": \"六四 🕯\"}"], items!.Select(i => i.Text));
        Assert.Equal([2, 4], items!.Select(i => i.Line));
    }

    [Fact]
    public void JsonLines_SkipBlankLines_AndTrimCarriageReturns()
    {
        var (items, error) = Split("{\"a\": \"ü\"}\r\n \u3000 \n{\"b\": 1}");

        Assert.Null(error);
        Assert.Equal(["{\"a\": \"ü\"}", "{\"b\": 1}"], items!.Select(i => i.Text));
        Assert.Equal([1, 3], items!.Select(i => i.Line));
    }

    [Theory]
    [InlineData("  \n ", "empty batch")]
    [InlineData("[{\"a\": 1}, {\"b\": ", "not closed")]
    [InlineData("[{\"a\": 1}] x", "unexpected content after the batch array")]
    public void BrokenEnvelopes_AreErrors(string body, string message)
    {
        var (items, error) = Split(body);

        Assert.Null(items);
        Assert.Contains(message, error!.Message);
    }
}
