using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text;
using Synaxis.Gateway.Streaming;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Streaming;

public sealed class SseWriterTests
{
    [Theory]
    [InlineData("x", "data: x\n\n")]
    [InlineData("", "data: \n\n")]
    [InlineData("a\nb", "data: a\ndata: b\n\n")]
    [InlineData("a\r\nb", "data: a\ndata: b\n\n")]
    [InlineData("a\rb", "data: a\ndata: b\n\n")]
    [InlineData("a\n\nb", "data: a\ndata: \ndata: b\n\n")]
    [InlineData("a\r\rb", "data: a\ndata: \ndata: b\n\n")]
    [InlineData("a\n", "data: a\ndata: \n\n")]
    [InlineData("\r\n", "data: \ndata: \n\n")]
    [InlineData("a\n\rb", "data: a\ndata: \ndata: b\n\n")]
    public async Task WriteData_SplitsEveryLineBreakIntoItsOwnDataLine(string data, string expected)
    {
        var written = await WrittenAsync(writer => SseWriter.WriteDataAsync(writer, Encoding.UTF8.GetBytes(data), CancellationToken.None));

        Assert.Equal(expected, written);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\r\nb\rc\n")]
    [InlineData("\n\n{\"x\":1}\r\n")]
    public async Task WriteData_ReadsBackAsTheSameDataWithNormalisedLineBreaks(string data)
    {
        var written = await WrittenAsync(writer => SseWriter.WriteDataAsync(writer, Encoding.UTF8.GetBytes(data), CancellationToken.None));

        var items = SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(written))).Enumerate().ToList();

        var item = Assert.Single(items);
        Assert.Equal(data.ReplaceLineEndings("\n"), item.Data);
    }

    [Fact]
    public async Task WriteData_RelaysARecordedChunkByteForByte()
    {
        var payload = SseFixture.SplitEvents(Fixtures.Bytes("openai/chat-stream-include-usage.sse"))[1];

        var written = await WrittenAsync(writer => SseWriter.WriteDataAsync(writer, payload.AsSpan(6, payload.Length - 8), CancellationToken.None));

        Assert.Equal(Encoding.UTF8.GetString(payload), written);
    }

    [Fact]
    public async Task WriteComment_WritesAColonLine()
    {
        var written = await WrittenAsync(writer => SseWriter.WriteCommentAsync(writer, "keep-alive"u8, CancellationToken.None));

        Assert.Equal(": keep-alive\n\n", written);
    }

    [Fact]
    public async Task WriteDone_WritesTheOpenAISentinel()
    {
        var written = await WrittenAsync(writer => SseWriter.WriteDoneAsync(writer, CancellationToken.None));

        Assert.Equal("data: [DONE]\n\n", written);
    }

    [Fact]
    public async Task WriteData_FlushesSoTheReaderSeesTheEventAtOnce()
    {
        var pipe = new Pipe();

        await SseWriter.WriteDataAsync(pipe.Writer, "x"u8, CancellationToken.None);

        Assert.True(pipe.Reader.TryRead(out var result));
        Assert.Equal("data: x\n\n", Encoding.UTF8.GetString(result.Buffer));
    }

    private static async Task<string> WrittenAsync(Func<PipeWriter, ValueTask<FlushResult>> write)
    {
        var pipe = new Pipe();
        await write(pipe.Writer);
        await pipe.Writer.CompleteAsync();
        using var copy = new MemoryStream();
        await pipe.Reader.AsStream().CopyToAsync(copy);
        return Encoding.UTF8.GetString(copy.ToArray());
    }
}
