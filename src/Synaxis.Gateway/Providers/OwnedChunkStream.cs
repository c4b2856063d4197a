namespace Synaxis.Gateway.Providers;

/// <summary>
/// A chunk stream that owns a resource (the upstream response) and releases it when its enumerator is
/// disposed, even if enumeration never started: an async iterator's own <c>using</c> only runs once
/// the first <c>MoveNextAsync</c> has entered its body.
/// </summary>
internal sealed class OwnedChunkStream(IAsyncEnumerable<StreamChunk> chunks, IDisposable owner) : IAsyncEnumerable<StreamChunk>
{
    public IAsyncEnumerator<StreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(chunks.GetAsyncEnumerator(cancellationToken), owner);

    private sealed class Enumerator(IAsyncEnumerator<StreamChunk> inner, IDisposable owner) : IAsyncEnumerator<StreamChunk>
    {
        public StreamChunk Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => inner.MoveNextAsync();

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                owner.Dispose();
            }
        }
    }
}
