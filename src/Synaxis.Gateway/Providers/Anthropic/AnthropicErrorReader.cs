using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Turns Anthropic's errors into <see cref="UpstreamFailure"/> values: the HTTP answers (429 rate limited,
/// 529 overloaded, 401/403 the gateway's key, other 4xx the request) and the <c>event: error</c> of a stream.
/// </summary>
internal static class AnthropicErrorReader
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Anthropic's own status for "overloaded": not a rate limit of the account, a capacity problem.</summary>
    public const int Overloaded = 529;

    private static readonly string[] RateLimits = ["requests", "tokens", "input-tokens", "output-tokens"];

    public static async Task<UpstreamFailure> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, _) = await BoundedContentReader.ReadAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var error = ParseBody(body);
        var kind = status switch
        {
            429 => UpstreamFailureKind.RateLimited,
            401 or 403 => UpstreamFailureKind.AuthenticationFailed,
            >= 400 and < 500 and not 408 => UpstreamFailureKind.Rejected,
            _ => UpstreamFailureKind.ServerError,
        };

        return new UpstreamFailure(kind, error?.Message ?? $"The upstream answered {status} {response.ReasonPhrase}.")
        {
            UpstreamStatus = status,
            // Anthropic's types (not_found_error, request_too_large …) are not OpenAI's; they travel as the code.
            Type = kind == UpstreamFailureKind.Rejected ? "invalid_request_error" : null,
            Code = error?.Type,
            RetryAfter = status is 429 or 503 or Overloaded ? RetryAfter(response.Headers, error?.Message, time.GetUtcNow()) : null,
        };
    }

    /// <summary>The failure an <c>event: error</c> in an open stream stands for, e.g. <c>overloaded_error</c>.</summary>
    public static UpstreamFailure FromStreamError(AnthropicErrorDetail? error) =>
        new(UpstreamFailureKind.StreamError, error?.Message ?? "The upstream reported an error in the stream.") { Code = error?.Type };

    /// <summary>
    /// <c>retry-after</c> when sent; otherwise the latest reset among Anthropic's exhausted limits
    /// (<c>anthropic-ratelimit-requests-remaining: 0</c> with <c>anthropic-ratelimit-requests-reset</c>, an RFC 3339 time).
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseHeaders headers, string? message, DateTimeOffset now)
    {
        if (RetryAfterParser.Parse(headers, message, now) is { } wait)
        {
            return wait;
        }

        TimeSpan? longest = null;
        foreach (var limit in RateLimits)
        {
            if (Header(headers, $"anthropic-ratelimit-{limit}-remaining") == "0"
                && DateTimeOffset.TryParse(Header(headers, $"anthropic-ratelimit-{limit}-reset"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset))
            {
                var until = reset > now ? reset - now : TimeSpan.Zero;
                longest = longest is null || until > longest ? until : longest;
            }
        }

        return longest;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static AnthropicErrorDetail? ParseBody(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AnthropicJsonContext.Wire.AnthropicErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            return null; // an HTML page from a proxy, or nothing: the status alone tells what happened
        }
    }
}
