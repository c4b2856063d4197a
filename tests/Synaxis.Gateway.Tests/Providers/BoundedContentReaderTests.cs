using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Tests.Providers;

public sealed class BoundedContentReaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    public async Task Body_UpToTheLimit_IsReadWhole(int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();

        var (body, complete) = await BoundedContentReader.ReadAsync(new StreamContent(new MemoryStream(bytes)), 100, CancellationToken.None);

        Assert.True(complete);
        Assert.Equal(bytes, body);
    }

    [Fact]
    public async Task Body_OverTheLimit_IsCutAndMarkedIncomplete()
    {
        var bytes = new byte[100_000];

        var (body, complete) = await BoundedContentReader.ReadAsync(new StreamContent(new MemoryStream(bytes)), 1000, CancellationToken.None);

        Assert.False(complete);
        Assert.Equal(1000, body.Length);
    }
}
