using System.Net;
using System.Text;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Routing;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Gemini.GeminiHarness;

namespace Synaxis.Gateway.Tests.Providers.Gemini;

/// <summary>A Gemini key that Google refuses (with its 400 API_KEY_INVALID) is read again and, when rotated, used at once: for chat and embeddings alike.</summary>
public sealed class GeminiKeyRotationTests
{
    private readonly StatusSequenceHandler _upstream = new(
        (HttpStatusCode.BadRequest, Fixtures.Bytes("gemini/error-400-api-key-invalid-on-stream-endpoint.json")),
        (HttpStatusCode.OK, Fixtures.Bytes("gemini/generate-content.json")));

    [Fact]
    public async Task Chat_WithARotatedKey_IsRepeatedWithTheNewKey()
    {
        var secrets = new RotatingSecretStore("old-key", "new-key");

        var result = await RoutedProvider.CompleteAsync(Provider(_upstream, secrets), Call(CompleteRequest), secrets);

        Assert.Null(result.Failure);
        Assert.Equal(["old-key", "new-key"], _upstream.Requests.Select(r => r.Headers["x-goog-api-key"]));
    }

    [Fact]
    public async Task Embeddings_WithARotatedKey_AreRepeatedWithTheNewKey()
    {
        var upstream = new StatusSequenceHandler(
            (HttpStatusCode.BadRequest, Fixtures.Bytes("gemini/error-400-api-key-invalid-on-stream-endpoint.json")),
            (HttpStatusCode.OK, """{"embeddings":[{"values":[0.5]}]}"""u8.ToArray()));
        var secrets = new RotatingSecretStore("old-key", "new-key");
        EmbeddingsRequestReader.TryRead(new(Encoding.UTF8.GetBytes("""{"model":"embed","input":"x"}""")), out var request, out var input);

        var result = await RoutedProvider.EmbedAsync(Provider(upstream, secrets), new EmbeddingsCall(request!, input!, Deployment("gemini-embedding-001"), "req-1"), secrets);

        Assert.Null(result.Failure);
        Assert.Equal(["old-key", "new-key"], upstream.Requests.Select(r => r.Headers["x-goog-api-key"]));
    }

    [Fact]
    public async Task Chat_WithTheSameKeyStillInTheStore_IsNotRepeated()
    {
        var secrets = new RotatingSecretStore("old-key", "old-key");

        var failure = await RoutedProvider.OpenStreamAsync(Provider(_upstream, secrets), Call(StreamRequest), secrets);

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, failure?.Kind);
        Assert.Single(_upstream.Requests);
    }
}
