using System.Text.Json;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// Turns an upstream's non-success answer into an <see cref="UpstreamFailure"/>. Understands OpenAI's
/// envelope and the looser shapes compatible servers use (<c>{"error":"…"}</c>, <c>{"message":"…"}</c>).
/// </summary>
internal static class OpenAIErrorReader
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<UpstreamFailure> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, _) = await BoundedContentReader.ReadAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var (message, type, code, param) = ParseBody(body);
        var kind = status switch
        {
            429 => UpstreamFailureKind.RateLimited,
            401 or 403 => UpstreamFailureKind.AuthenticationFailed,
            >= 400 and < 500 and not 408 => UpstreamFailureKind.Rejected,
            _ => UpstreamFailureKind.ServerError,
        };

        return new UpstreamFailure(kind, message ?? $"The upstream answered {status} {response.ReasonPhrase}.")
        {
            UpstreamStatus = status,
            Type = type,
            Code = code,
            Param = param,
            RetryAfter = status is 429 or 503 ? RetryAfterParser.Parse(response.Headers, message, time.GetUtcNow()) : null,
        };
    }

    /// <summary>Reads an error object from an in-stream <c>error</c> value (object or string).</summary>
    public static UpstreamFailure FromStreamError(JsonElement error)
    {
        var (message, type, code, param) = error.ValueKind == JsonValueKind.String
            ? (error.GetString(), null, null, null)
            : ReadErrorObject(error);
        return new UpstreamFailure(UpstreamFailureKind.StreamError, message ?? "The upstream reported an error in the stream.")
        {
            Type = type,
            Code = code,
            Param = param,
        };
    }

    private static (string? Message, string? Type, string? Code, string? Param) ParseBody(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0]; // some servers wrap the envelope in an array
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            if (root.TryGetProperty("error", out var error))
            {
                return error.ValueKind == JsonValueKind.String ? (error.GetString(), null, null, null) : ReadErrorObject(error);
            }

            return (GetString(root, "message") ?? GetString(root, "detail"), GetString(root, "type"), GetString(root, "code"), null);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static (string?, string?, string?, string?) ReadErrorObject(JsonElement error) => error.ValueKind == JsonValueKind.Object
        ? (GetString(error, "message"), GetString(error, "type"), GetString(error, "code"), GetString(error, "param"))
        : default;

    // Codes are strings at OpenAI, numbers at OpenRouter and Azure ("429" and 429 both occur).
    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
