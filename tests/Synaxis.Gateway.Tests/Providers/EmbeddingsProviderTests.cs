using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Mock;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Providers;

/// <summary>Embeddings through each provider that makes them: passed on from OpenAI-format upstreams, translated from Gemini, made up by the mock.</summary>
public sealed class EmbeddingsProviderTests
{
    private const string Recorded = "openai/embeddings-base64.json";

    [Fact]
    public async Task OpenAICompatible_PostsToEmbeddings_AndPassesTheAnswerOnWithItsUsage()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes(Recorded));
        var provider = OpenAICompatible.ProviderHarness.Provider(handler);

        var result = await provider.EmbedAsync(Call("""{"model":"embed","input":"The food was delicious","encoding_format":"base64","dimensions":128}""", OpenAICompatible.ProviderHarness.Deployment()), CancellationToken.None);

        Assert.Equal(Fixtures.Bytes(Recorded), result.Json.ToArray());
        Assert.Equal((4, 4, false), (result.Usage!.PromptTokens, result.Usage.TotalTokens, result.Usage.IsEstimated));
        var sent = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://upstream.test/v1/embeddings"), sent.Uri);
        Assert.Equal("""{"input":"The food was delicious","model":"gpt-4o-2024-08-06","encoding_format":"base64","dimensions":128}""", sent.Body);
        Assert.Equal($"Bearer {OpenAICompatible.ProviderHarness.SecretValue}", sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task OpenAICompatible_AnswerThatIsNotAList_IsAProtocolError()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));

        var result = await OpenAICompatible.ProviderHarness.Provider(handler).EmbedAsync(Call("""{"model":"embed","input":"x"}""", OpenAICompatible.ProviderHarness.Deployment()), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.ProtocolError, result.Failure?.Kind);
    }

    [Theory]
    [InlineData("https://synaxis-test.openai.azure.com/", "https://synaxis-test.openai.azure.com/openai/deployments/gpt-4o-prod/embeddings?api-version=2024-10-21")]
    [InlineData("https://synaxis-test.openai.azure.com/openai/v1/", "https://synaxis-test.openai.azure.com/openai/v1/embeddings")]
    public async Task AzureOpenAI_PostsToTheDeploymentsEmbeddings(string baseUrl, string expected)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes(Recorded));

        var result = await AzureOpenAI.AzureHarness.Provider(handler).EmbedAsync(Call("""{"model":"embed","input":["a","b"]}""", AzureOpenAI.AzureHarness.Deployment(baseUrl)), CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal(new Uri(expected), handler.Requests[0].Uri);
        Assert.Equal(AzureOpenAI.AzureHarness.SecretValue, handler.Requests[0].Headers["api-key"]);
    }

    [Fact]
    public async Task Gemini_BatchEmbedsTheTexts_AndAnswersAnOpenAIListWithEstimatedUsage()
    {
        // Shaped as Google's API reference documents batchEmbedContents; no recording of one is available.
        var handler = new ReplayHandler(HttpStatusCode.OK, """{"embeddings":[{"values":[0.25,-0.5,0.125]},{"values":[1,0,-1]}]}"""u8.ToArray());

        var result = await Gemini.GeminiHarness.Provider(handler).EmbedAsync(
            Call("""{"model":"embed","input":["first text","second"],"dimensions":3}""", Gemini.GeminiHarness.Deployment("gemini-embedding-001")), CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents"), sent.Uri);
        Assert.Equal(Gemini.GeminiHarness.SecretValue, sent.Headers["x-goog-api-key"]);
        Assert.Equal(
            """{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"first text"}]},"outputDimensionality":3},{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"second"}]},"outputDimensionality":3}]}""",
            sent.Body);
        var list = JsonNode.Parse(result.Json.Span)!;
        Assert.Equal([0.25f, -0.5f, 0.125f], list["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(1, list["data"]![1]!["index"]!.GetValue<int>());
        Assert.Equal("gemini-embedding-001", list["model"]!.GetValue<string>());
        Assert.True(result.Usage!.IsEstimated);
        Assert.Equal(3 + 2, result.Usage.PromptTokens); // 10 and 6 characters, four a token, rounded up
    }

    [Fact]
    public async Task Gemini_ManyInputs_GoInBatchesOfAHundred_InOrder()
    {
        var handler = new BatchEchoHandler();
        var inputs = string.Join(',', Enumerable.Range(0, 230).Select(i => $"\"text {i}\""));

        var result = await Gemini.GeminiHarness.Provider(handler).EmbedAsync(
            Call($$"""{"model":"embed","input":[{{inputs}}],"encoding_format":"base64"}""", Gemini.GeminiHarness.Deployment("gemini-embedding-001")), CancellationToken.None);

        Assert.Equal([100, 100, 30], handler.BatchSizes);
        var data = JsonNode.Parse(result.Json.Span)!["data"]!.AsArray();
        Assert.Equal(230, data.Count);
        var last = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(data[229]!["embedding"]!.GetValue<string>()));
        Assert.Equal(229f, last[0]); // the echo puts each input's position first
    }

    [Fact]
    public async Task Gemini_TokenIds_AreRefused()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, "{}"u8.ToArray());

        var result = await Gemini.GeminiHarness.Provider(handler).EmbedAsync(Call("""{"model":"embed","input":[1,2,3]}""", Gemini.GeminiHarness.Deployment()), CancellationToken.None);

        Assert.Equal((UpstreamFailureKind.Rejected, "input"), (result.Failure?.Kind, result.Failure?.Param));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Gemini_AnswerWithTheWrongNumberOfVectors_IsAProtocolError()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, """{"embeddings":[{"values":[0.1]}]}"""u8.ToArray());

        var result = await Gemini.GeminiHarness.Provider(handler).EmbedAsync(Call("""{"model":"embed","input":["a","b"]}""", Gemini.GeminiHarness.Deployment()), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.ProtocolError, result.Failure?.Kind);
    }

    [Fact]
    public async Task Mock_GivesEachTextTheSameUnitVectorEveryTime()
    {
        var mock = new MockProvider(Microsoft.Extensions.Options.Options.Create(new Synaxis.Gateway.Hosting.GatewayOptions()), TimeProvider.System);
        var deployment = Gemini.GeminiHarness.Deployment("synaxis-mock");

        var first = JsonNode.Parse((await mock.EmbedAsync(Call("""{"model":"m","input":["alpha","beta"],"dimensions":64}""", deployment), CancellationToken.None)).Json.Span)!;
        var again = JsonNode.Parse((await mock.EmbedAsync(Call("""{"model":"m","input":"alpha","dimensions":64}""", deployment), CancellationToken.None)).Json.Span)!;

        var alpha = first["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var beta = first["data"]![1]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(64, alpha.Length);
        Assert.Equal(alpha, again["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.NotEqual(alpha, beta);
        Assert.Equal(1.0, Math.Sqrt(alpha.Sum(v => (double)v * v)), 4);
    }

    private static EmbeddingsCall Call(string json, ModelDeployment deployment)
    {
        Assert.Null(EmbeddingsRequestReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), out var request, out var input));
        return new EmbeddingsCall(request!, input!, deployment, "req-embed-1");
    }

    /// <summary>A Gemini stand-in that answers each batch with one vector per request, holding the input's position.</summary>
    private sealed class BatchEchoHandler : HttpMessageHandler
    {
        private int _seen;

        public List<int> BatchSizes { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var requests = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!["requests"]!.AsArray();
            BatchSizes.Add(requests.Count);
            var vectors = string.Join(',', requests.Select(_ => $$"""{"values":[{{_seen++}},0.5]}"""));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"embeddings":[{{vectors}}]}""", Encoding.UTF8, "application/json") };
        }
    }
}
