using System.Net;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.AzureOpenAI.AzureHarness;

namespace Synaxis.Gateway.Tests.Providers.AzureOpenAI;

/// <summary>Azure's refusals, as recorded, become the OpenAI errors a client expects.</summary>
public sealed class AzureOpenAIProviderErrorTests
{
    [Fact]
    public async Task ContentFilteredPrompt_Is400ContentFilter_WithAzuresExplanation()
    {
        var failure = await FailureAsync(HttpStatusCode.BadRequest, "azure/error-400-content-filter.json");

        var error = UpstreamErrors.ToApiError(failure, "gpt-4o");
        Assert.Equal((400, "content_filter", "prompt", "invalid_request_error"), (error.Status, error.Code, error.Param, error.Type));
        Assert.StartsWith("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentFilteredPrompt_OnAStream_IsRefusedBeforeAnyChunk()
    {
        var handler = new ReplayHandler(HttpStatusCode.BadRequest, Fixtures.Bytes("azure/error-400-content-filter.json"));

        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        Assert.Null(result.Chunks);
        Assert.Equal("content_filter", result.Failure?.Code);
    }

    [Fact]
    public async Task RateLimited_TakesTheWaitFromAzuresMessage()
    {
        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, "azure/error-429-rate-limit.json");

        Assert.Equal(UpstreamFailureKind.RateLimited, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(22), failure.RetryAfter);
        Assert.Equal(429, UpstreamErrors.ToApiError(failure, "gpt-4o").Status);
    }

    [Fact]
    public async Task RateLimited_PrefersRetryAfterMs()
    {
        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, "azure/error-429-rate-limit.json", ("retry-after-ms", "1500"), ("retry-after", "2"));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), failure.RetryAfter);
    }

    [Fact]
    public async Task UnknownModelOnTheV1Api_IsRejectedWithAzuresCode()
    {
        var failure = await FailureAsync(HttpStatusCode.BadRequest, "azure/error-400-unknown-model-v1.json");

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Equal("unknown_model", failure.Code);
        Assert.Equal("Unknown model: this-model-does-not-exist-12345", failure.Message);
    }

    private static async Task<UpstreamFailure> FailureAsync(HttpStatusCode status, string fixture, params (string Name, string Value)[] headers)
    {
        var handler = new ReplayHandler(status, Fixtures.Bytes(fixture), "application/json", headers);
        var result = await Provider(handler).CompleteAsync(Call(CompleteRequest), CancellationToken.None);
        Assert.Equal((int)status, result.Failure?.UpstreamStatus);
        return result.Failure!;
    }
}
