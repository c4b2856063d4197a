using System.Text.Json;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Turns Google's error answers into failures: <c>RESOURCE_EXHAUSTED</c> is a rate limit whose wait is the
/// <c>RetryInfo.retryDelay</c> detail, a refused API key is an authentication failure even though Google
/// answers it with 400, and the status name (<c>invalid_argument</c>, <c>not_found</c> …) becomes the code.
/// </summary>
internal static class GeminiErrorReader
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<UpstreamFailure> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, _) = await BoundedContentReader.ReadAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var error = Parse(body);
        // Google answers a key it does not accept with 400 INVALID_ARGUMENT; in HTTP's terms that is a 401, and it
        // is one here, so that a rotated key is read again (DeploymentRouter) as for any provider.
        if (status == 400 && error?.Details?.Any(d => d.Reason is "API_KEY_INVALID") == true)
        {
            status = 401;
        }

        var kind = status switch
        {
            429 => UpstreamFailureKind.RateLimited,
            401 or 403 => UpstreamFailureKind.AuthenticationFailed,
            >= 400 and < 500 and not 408 => UpstreamFailureKind.Rejected,
            _ => UpstreamFailureKind.ServerError,
        };

        return new UpstreamFailure(kind, error?.Message?.Trim() is { Length: > 0 } message ? message : $"The upstream answered {(int)response.StatusCode} {response.ReasonPhrase}.")
        {
            UpstreamStatus = status,
            Type = "invalid_request_error",
            Code = error?.Status?.ToLowerInvariant(),
            RetryAfter = status is 429 or 503 ? RetryDelay(error) ?? RetryAfterParser.Parse(response.Headers, error?.Message, time.GetUtcNow()) : null,
        };
    }

    public static UpstreamFailure FromStreamError(GeminiError error) =>
        new(UpstreamFailureKind.StreamError, error.Message ?? "The upstream reported an error in the stream.")
        {
            Code = error.Status?.ToLowerInvariant(),
        };

    // google.rpc.RetryInfo: {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"13s"} (a protobuf Duration).
    private static TimeSpan? RetryDelay(GeminiError? error) =>
        RetryAfterParser.ParseGoDuration(error?.Details?.FirstOrDefault(d => d.RetryDelay is not null)?.RetryDelay);

    private static GeminiError? Parse(byte[] body)
    {
        try
        {
            // The stream endpoint without alt=sse wraps answers, errors included, in an array.
            var trimmed = body.AsSpan().TrimStart(" \t\r\n"u8);
            return trimmed.StartsWith("["u8)
                ? JsonSerializer.Deserialize(body, GeminiJsonContext.Wire.ListGeminiErrorResponse)?.FirstOrDefault()?.Error
                : JsonSerializer.Deserialize(body, GeminiJsonContext.Wire.GeminiErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
