using System.Net;
using System.Text;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.OpenAICompatible.ProviderHarness;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>An upstream's refusal becomes an <see cref="UpstreamFailure"/> of the right kind, never an exception.</summary>
public sealed class OpenAICompatibleProviderErrorTests
{
    [Fact]
    public async Task RateLimited_WithoutRetryAfterHeader_TakesTheWaitFromTheMessage()
    {
        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, "openai/error-429-rate-limit-exceeded.json");

        Assert.Equal(UpstreamFailureKind.RateLimited, failure.Kind);
        Assert.Equal(429, failure.UpstreamStatus);
        Assert.Equal(TimeSpan.FromMilliseconds(579), failure.RetryAfter);
        Assert.Equal("rate_limit_exceeded", failure.Code);
        Assert.Contains("Please try again in 579ms.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimited_WithRetryAfterHeader_TakesTheHeader()
    {
        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, "openai/error-429-rate-limit-exceeded.json", ("Retry-After", "7"));

        Assert.Equal(UpstreamFailureKind.RateLimited, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
    }

    [Fact]
    public async Task InsufficientQuota_IsRateLimited_KeepingItsCode()
    {
        var failure = await FailureAsync(HttpStatusCode.TooManyRequests, "openai/error-429-insufficient-quota.json");

        Assert.Equal(UpstreamFailureKind.RateLimited, failure.Kind);
        Assert.Equal("insufficient_quota", failure.Code);
        Assert.Null(failure.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task RefusedCredentials_AreAuthenticationFailed(HttpStatusCode status)
    {
        var failure = await FailureAsync(status, "openai/error-401-invalid-api-key.json");

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, failure.Kind);
        Assert.Equal((int)status, failure.UpstreamStatus);
        Assert.Equal("invalid_api_key", failure.Code);
    }

    [Fact]
    public async Task BadRequest_IsRejected_WithTheUpstreamsMessageTypeParamAndCode()
    {
        var failure = await FailureAsync(HttpStatusCode.BadRequest, "openai/error-400-unsupported-parameter.json");

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Equal(400, failure.UpstreamStatus);
        Assert.Equal("Unsupported parameter: 'stop' is not supported with this model.", failure.Message);
        Assert.Equal("invalid_request_error", failure.Type);
        Assert.Equal("stop", failure.Param);
        Assert.Equal("unsupported_parameter", failure.Code);
        Assert.Null(failure.RetryAfter);
    }

    [Fact]
    public async Task UnknownModel_IsRejected()
    {
        var failure = await FailureAsync(HttpStatusCode.NotFound, "openai/error-404-model-not-found.json");

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Equal(404, failure.UpstreamStatus);
        Assert.Equal("model_not_found", failure.Code);
    }

    [Fact]
    public async Task AzureContentFilter_IsRejected_WithItsParamAndCode()
    {
        var failure = await FailureAsync(HttpStatusCode.BadRequest, "azure/error-400-content-filter.json");

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Null(failure.Type); // Azure sends "type": null
        Assert.Equal("prompt", failure.Param);
        Assert.Equal("content_filter", failure.Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task ServerFailure_IsServerError(HttpStatusCode status)
    {
        var failure = await FailureAsync(new ReplayHandler(status, "<html><body>upstream down</body></html>"u8.ToArray(), "text/html"));

        Assert.Equal(UpstreamFailureKind.ServerError, failure.Kind);
        Assert.Equal((int)status, failure.UpstreamStatus);
        Assert.StartsWith($"The upstream answered {(int)status} ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceUnavailable_WithRetryAfter_KeepsTheWait()
    {
        var failure = await FailureAsync(new ReplayHandler(HttpStatusCode.ServiceUnavailable, """{"error":{"message":"Overloaded","type":"server_error"}}"""u8.ToArray(), "application/json", ("Retry-After", "3")));

        Assert.Equal(UpstreamFailureKind.ServerError, failure.Kind);
        Assert.Equal("Overloaded", failure.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), failure.RetryAfter);
    }

    [Theory]
    [InlineData("""{"error":"model is loading"}""", "model is loading")]
    [InlineData("""{"message":"bad things"}""", "bad things")]
    [InlineData("""{"detail":"Not Found"}""", "Not Found")]
    [InlineData("""[{"error":{"message":"wrapped","code":400}}]""", "wrapped")]
    public async Task LooserErrorShapes_GiveTheirMessage(string body, string message)
    {
        var failure = await FailureAsync(new ReplayHandler(HttpStatusCode.BadRequest, Encoding.UTF8.GetBytes(body)));

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public async Task MissingSecret_IsAuthenticationFailedNamingTheSecret_AndNothingIsSent()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));
        var provider = Provider(handler, withSecret: false);

        var complete = await provider.CompleteAsync(Call(CompleteRequest), CancellationToken.None);
        var stream = await provider.StreamAsync(Call(StreamRequest), CancellationToken.None);

        foreach (var failure in new[] { complete.Failure, stream.Failure })
        {
            Assert.Equal(UpstreamFailureKind.AuthenticationFailed, failure?.Kind);
            Assert.Contains($"'{SecretName}'", failure!.Message, StringComparison.Ordinal);
            Assert.Null(failure.UpstreamStatus);
        }

        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, UpstreamFailureKind.ConnectFailed)]
    [InlineData(HttpRequestError.NameResolutionError, UpstreamFailureKind.ConnectFailed)]
    [InlineData(HttpRequestError.SecureConnectionError, UpstreamFailureKind.ConnectFailed)]
    [InlineData(HttpRequestError.ResponseEnded, UpstreamFailureKind.Reset)]
    public async Task TransportFailure_IsAFailureThatDoesNotNameTheHost(HttpRequestError error, UpstreamFailureKind kind)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, []) { Throw = new HttpRequestException(error, "Connection refused (upstream.test:443)") };

        var failure = await FailureAsync(handler);

        Assert.Equal(kind, failure.Kind);
        Assert.DoesNotContain("upstream.test", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_Propagates()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Provider(handler).CompleteAsync(Call(CompleteRequest), new CancellationToken(canceled: true)));
    }

    private static Task<UpstreamFailure> FailureAsync(HttpStatusCode status, string fixture, params (string Name, string Value)[] headers) =>
        FailureAsync(new ReplayHandler(status, Fixtures.Bytes(fixture), "application/json", headers));

    // Both paths read errors the same way; checking both keeps them from drifting apart.
    private static async Task<UpstreamFailure> FailureAsync(ReplayHandler handler)
    {
        var provider = Provider(handler);
        var complete = await provider.CompleteAsync(Call(CompleteRequest), CancellationToken.None);
        var stream = await provider.StreamAsync(Call(StreamRequest), CancellationToken.None);
        Assert.NotNull(complete.Failure);
        Assert.Null(stream.Chunks);
        Assert.Equal(complete.Failure, stream.Failure);
        return complete.Failure;
    }
}
