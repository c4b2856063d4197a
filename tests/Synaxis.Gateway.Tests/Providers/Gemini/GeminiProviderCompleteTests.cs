using System.Net;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Gemini.GeminiHarness;

namespace Synaxis.Gateway.Tests.Providers.Gemini;

/// <summary>Gemini's recorded answers and refusals as OpenAI completions and errors.</summary>
public sealed class GeminiProviderCompleteTests
{
    [Fact]
    public async Task Complete_IsAChatCompletionWithTheRecordedTextAndUsage()
    {
        var bytes = Fixtures.Bytes("gemini/generate-content.json");

        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, bytes)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        var completion = JsonNode.Parse(result.Json.Span)!;
        var recorded = JsonNode.Parse(bytes)!;
        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.Equal("chatcmpl-SJfyaMbrNJKlqtsPvNOW8Ao", completion["id"]!.GetValue<string>());
        Assert.Equal("gemini-2.5-flash", completion["model"]!.GetValue<string>());
        var choice = completion["choices"]![0]!;
        Assert.Equal(recorded["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>(), choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal(("assistant", "stop"), (choice["message"]!["role"]!.GetValue<string>(), choice["finish_reason"]!.GetValue<string>()));
        Assert.Equal((13, 102, 115), (result.Usage!.PromptTokens, result.Usage.CompletionTokens, result.Usage.TotalTokens));
        Assert.Equal(102, completion["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Complete_FunctionCalls_AreToolCalls()
    {
        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("gemini/generate-content-function-call.json")))
            .CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        var choice = JsonNode.Parse(result.Json.Span)!["choices"]![0]!;
        var calls = choice["message"]!["tool_calls"]!.AsArray();
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.True(choice["message"]!["content"] is null);
        Assert.Equal(["""{"password":"mellon"}""", """{"password":"radiance"}"""], calls.Select(c => JsonNode.Parse(c!["function"]!["arguments"]!.GetValue<string>())!.ToJsonString()));
        Assert.All(calls, c => Assert.Equal(("function", "secret_retrieval_tool"), (c!["type"]!.GetValue<string>(), c["function"]!["name"]!.GetValue<string>())));
        Assert.NotNull(GeminiToolCallId.SignatureOf(calls[0]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Complete_BlockedPrompt_Is400ContentFilter()
    {
        var body = """{"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.5-flash"}"""u8.ToArray();

        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, body)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        var error = UpstreamErrors.ToApiError(result.Failure!, "gemini");
        Assert.Equal((400, "content_filter"), (error.Status, error.Code));
        Assert.Contains("PROHIBITED_CONTENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_NotAGeminiAnswer_IsAProtocolError()
    {
        var result = await Provider(new ReplayHandler(HttpStatusCode.OK, "<html>Service Unavailable</html>"u8.ToArray(), "text/html"))
            .CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.ProtocolError, result.Failure?.Kind);
    }

    [Fact]
    public async Task InvalidKey_AnsweredWith400_IsA401AuthenticationFailure()
    {
        var failure = await FailureAsync(HttpStatusCode.BadRequest, Fixtures.Bytes("gemini/error-400-api-key-invalid-on-stream-endpoint.json"));

        Assert.Equal((UpstreamFailureKind.AuthenticationFailed, 401), (failure.Kind, failure.UpstreamStatus));
        var error = UpstreamErrors.ToApiError(failure, "gemini");
        Assert.Equal((502, "upstream_authentication_failed"), (error.Status, error.Code));
    }

    [Fact]
    public async Task UnknownModel_IsRejectedAs404()
    {
        var failure = await FailureAsync(HttpStatusCode.NotFound, Fixtures.Bytes("gemini/error-404-model-not-found.json"));

        var error = UpstreamErrors.ToApiError(failure, "gemini");
        Assert.Equal((404, "not_found"), (error.Status, error.Code));
        Assert.StartsWith("models/this-model-does-not-exist-12345 is not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceExhausted_IsRateLimited()
    {
        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, Fixtures.Bytes("gemini/error-429-resource-exhausted.json"));

        Assert.Equal((UpstreamFailureKind.RateLimited, "resource_exhausted"), (failure.Kind, failure.Code));
        Assert.Null(failure.RetryAfter); // this recording carries no RetryInfo; the client gets the gateway's default
        Assert.Equal(429, UpstreamErrors.ToApiError(failure, "gemini").Status);
    }

    [Fact]
    public async Task ResourceExhausted_WithRetryInfo_WaitsTheRetryDelay()
    {
        var recorded = JsonNode.Parse(Fixtures.Bytes("gemini/error-429-resource-exhausted.json"))!;
        recorded["error"]!["details"]!.AsArray().Add(JsonNode.Parse("""{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"13s"}"""));

        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, System.Text.Encoding.UTF8.GetBytes(recorded.ToJsonString()));

        Assert.Equal(TimeSpan.FromSeconds(13), failure.RetryAfter);
    }

    private static async Task<UpstreamFailure> FailureAsync(HttpStatusCode status, byte[] body)
    {
        var handler = new ReplayHandler(status, body, "text/event-stream");
        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);
        Assert.Null(result.Chunks);
        Assert.False(handler.Bodies[0].CanRead);
        return result.Failure!;
    }
}
