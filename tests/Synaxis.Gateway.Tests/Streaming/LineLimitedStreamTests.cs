using System.Text;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Tests.Streaming;

public sealed class LineLimitedStreamTests
{
    private static async Task<int> ReadAllAsync(Stream stream, int readSize)
    {
        var buffer = new byte[readSize];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Lines_WithinTheLimit_PassThroughWhateverTheReadSize(int readSize)
    {
        var body = Encoding.UTF8.GetBytes("data: 0123456789\n\ndata: abcdefghij\r\n\r\n: comment\rdata: x\n\n");
        using var stream = new LineLimitedStream(new MemoryStream(body), maxLineBytes: 16);

        Assert.Equal(body.Length, await ReadAllAsync(stream, readSize));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task Line_PastTheLimit_FailsTheRead(int readSize)
    {
        var body = Encoding.UTF8.GetBytes("data: ok\n\ndata: " + new string('x', 100));
        using var stream = new LineLimitedStream(new MemoryStream(body), maxLineBytes: 32);

        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(stream, readSize));
    }
}
