using System.Net;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Routing;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Anthropic.AnthropicHarness;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>Anthropic's refusals become <see cref="UpstreamFailure"/> values of the right kind, with the wait it asks for.</summary>
public sealed class AnthropicProviderErrorTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 26, 19, 59, 59, TimeSpan.Zero);

    /// <summary>The headers recorded in a fixture's <c>.status</c> file (comment lines skipped).</summary>
    private static (string, string)[] RecordedHeaders(string fixture) =>
        File.ReadLines(Path.ChangeExtension(Fixtures.PathOf(fixture), ".status")).Skip(1)
            .Where(line => !line.StartsWith('#') && line.Contains(':', StringComparison.Ordinal))
            .Select(line => (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToArray();

    private static async Task<UpstreamFailure> FailureAsync(string fixture, params (string, string)[] headers)
    {
        var handler = new ReplayHandler((HttpStatusCode)Fixtures.Status(fixture), Fixtures.Bytes(fixture), "application/json", headers);
        var result = await Provider(handler, time: new FakeTimeProvider(Now)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);
        Assert.False(handler.Bodies[0].CanRead, "the error response is released");
        return result.Failure!;
    }

    [Fact]
    public async Task RateLimited_WithRetryAfter_TakesTheHeader()
    {
        var failure = await FailureAsync("anthropic/error-429-rate-limit.json", ("retry-after", "12"));

        Assert.Equal(UpstreamFailureKind.RateLimited, failure.Kind);
        Assert.Equal(429, failure.UpstreamStatus);
        Assert.Equal("rate_limit_error", failure.Code);
        Assert.Equal(TimeSpan.FromSeconds(12), failure.RetryAfter);
        Assert.StartsWith("This request would exceed your account's rate limit.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimited_WithoutRetryAfter_WaitsForTheExhaustedLimitsReset()
    {
        // The recorded 429 headers: requests-remaining 0, reset 20:00:00Z; one second after "now".
        var failure = await FailureAsync("anthropic/error-429-rate-limit.json", RecordedHeaders("anthropic/error-429-rate-limit.json"));

        Assert.Equal(TimeSpan.FromSeconds(1), failure.RetryAfter);
    }

    [Fact]
    public async Task Overloaded529_IsAServerErrorWithItsStatusAndCode()
    {
        var failure = await FailureAsync("anthropic/error-529-overloaded.json", RecordedHeaders("anthropic/error-529-overloaded.json"));

        Assert.Equal(UpstreamFailureKind.ServerError, failure.Kind);
        Assert.Equal(529, failure.UpstreamStatus);
        Assert.Equal("overloaded_error", failure.Code);
        Assert.Equal("Overloaded", failure.Message);
    }

    [Fact]
    public async Task RefusedKey_IsAuthenticationFailed()
    {
        var failure = await FailureAsync("anthropic/error-401-authentication-error.json");

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, failure.Kind);
        Assert.Equal(401, failure.UpstreamStatus);
        Assert.Equal("authentication_error", failure.Code);
    }

    [Fact]
    public async Task UnknownUpstreamModel_IsRejectedWithAnthropicsMessage()
    {
        var failure = await FailureAsync("anthropic/error-404-not-found-model.json");

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Equal(404, failure.UpstreamStatus);
        Assert.Equal("invalid_request_error", failure.Type);
        Assert.Equal("not_found_error", failure.Code);
        Assert.Equal("model: this-model-does-not-exist-12345", failure.Message);
    }

    [Fact]
    public async Task StreamRefused_FailsBeforeAnyChunk()
    {
        var handler = new ReplayHandler((HttpStatusCode)529, Fixtures.Bytes("anthropic/error-529-overloaded.json"));

        var result = await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        Assert.Null(result.Chunks);
        Assert.Equal(529, result.Failure?.UpstreamStatus);
    }

    [Fact]
    public async Task MissingSecret_FailsWithoutCallingTheUpstream()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("anthropic/message.json"));

        var result = await Provider(handler, AnthropicHarness.Secrets(value: null)).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, result.Failure?.Kind);
        Assert.Null(result.Failure?.UpstreamStatus);
        Assert.Contains("anthropic-api-key", result.Failure?.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task RefusedKey_ThatWasRotated_IsReReadByTheRouterAndTheCallRepeatedOnce()
    {
        var secrets = new RotatingSecrets("sk-ant-old", "sk-ant-new");
        var handler = new KeyCheckingHandler("sk-ant-new");

        var result = await RoutedProvider.CompleteAsync(Provider(handler, secrets), Call(CompleteRequest), secrets);

        Assert.Null(result.Failure);
        Assert.Equal(["sk-ant-old", "sk-ant-new"], handler.Keys);
    }

    /// <summary>Holds the old key until a refresh finds the new one, as a store does after a rotation.</summary>
    private sealed class RotatingSecrets(string current, string rotated) : ISecretStore
    {
        private string _value = current;

        public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(_value);

        public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken)
        {
            _value = rotated;
            return ValueTask.FromResult<string?>(_value);
        }
    }

    /// <summary>Answers 401 unless the request carries the expected key.</summary>
    private sealed class KeyCheckingHandler(string expected) : HttpMessageHandler
    {
        public List<string> Keys { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = request.Headers.GetValues("x-api-key").Single();
            Keys.Add(key);
            var fixture = key == expected ? "anthropic/message.json" : "anthropic/error-401-authentication-error.json";
            return Task.FromResult(new HttpResponseMessage((HttpStatusCode)Fixtures.Status(fixture)) { Content = new ByteArrayContent(Fixtures.Bytes(fixture)) });
        }
    }
}
