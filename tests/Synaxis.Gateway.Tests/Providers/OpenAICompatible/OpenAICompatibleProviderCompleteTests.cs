using System.Net;
using System.Text;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.OpenAICompatible.ProviderHarness;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>A non-streamed answer is passed on as the upstream wrote it, with its usage read for billing.</summary>
public sealed class OpenAICompatibleProviderCompleteTests
{
    [Theory]
    [InlineData("openai/chat-completion.json")]
    [InlineData("openai/chat-completion-tool-calls.json")]
    [InlineData("groq/chat-completion.json")]
    [InlineData("mistral/chat-completion-tool-call.json")]
    [InlineData("ollama/v1-chat-completion.json")]
    public async Task Complete_ReturnsTheBodyUnchanged_AndReadsItsUsage(string fixture)
    {
        var bytes = Fixtures.Bytes(fixture);

        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, bytes)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal(bytes, result.Json.ToArray());
        Assert.NotNull(result.Usage);
        Assert.Equal(result.Usage.PromptTokens + result.Usage.CompletionTokens, result.Usage.TotalTokens);
        Assert.True(result.Usage.TotalTokens > 0);
    }

    [Fact]
    public async Task Complete_ReadsTheRecordedTokenCounts()
    {
        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json")))
            .CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Equal((16, 12, 28), (result.Usage!.PromptTokens, result.Usage.CompletionTokens, result.Usage.TotalTokens));
        Assert.Equal(0, result.Usage.PromptTokensDetails?.CachedTokens);
        Assert.Equal(0, result.Usage.CompletionTokensDetails?.ReasoningTokens);
    }

    [Fact]
    public async Task Complete_WithoutUsage_SucceedsWithEstimatedUsage()
    {
        var body = """{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Forty-two hundred and forty-two."},"finish_reason":"stop"}]}"""u8.ToArray();

        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, body)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal(body, result.Json.ToArray());
        Assert.NotNull(result.Usage);
        Assert.True(result.Usage.IsEstimated);
        Assert.Equal(8, result.Usage.CompletionTokens); // 32 characters of content, four a token
        Assert.True(result.Usage.PromptTokens > 0);
        Assert.Equal(result.Usage.PromptTokens + result.Usage.CompletionTokens, result.Usage.TotalTokens);
    }

    [Theory]
    [InlineData("<html><body>Welcome to nginx!</body></html>")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"object":"list","data":[]}""")]
    [InlineData("""{"id":"x","choices":[{"index":0""")]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":"many"}}""")]
    public async Task Complete_BodyThatIsNotAChatCompletion_IsAProtocolError(string body)
    {
        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, Encoding.UTF8.GetBytes(body), "text/html"))
            .CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.ProtocolError, result.Failure?.Kind);
    }
}
