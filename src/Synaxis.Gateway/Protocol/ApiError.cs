namespace Synaxis.Gateway.Protocol;

/// <summary>
/// A failure the gateway answers with: the HTTP status and the OpenAI error body, plus the
/// <c>Retry-After</c> to send where waiting helps. Expected failures travel as this value, not as exceptions.
/// </summary>
public sealed record ApiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>How long the client should wait before retrying, sent as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public ErrorResponse ToResponse() => new() { Error = new ErrorBody { Message = Message, Type = Type, Param = Param, Code = Code } };

    /// <summary>The envelope as UTF-8 JSON, e.g. for an SSE error event.</summary>
    public byte[] ToUtf8Json() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(ToResponse(), GatewayJsonContext.Wire.ErrorResponse);

    public static ApiError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, message, "invalid_request_error", param, code);

    public static ApiError MissingParameter(string param) =>
        InvalidRequest($"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    public static ApiError InvalidType(string param, string expected) =>
        InvalidRequest($"Invalid type for '{param}': expected {expected}.", param, "invalid_type");

    public static ApiError InvalidValue(string param, string message) =>
        InvalidRequest(message, param, "invalid_value");

    public static ApiError InvalidApiKey(string message) =>
        new(401, message, "invalid_request_error", null, "invalid_api_key");

    public static ApiError ModelNotFound(string model) =>
        new(404, $"The model '{model}' does not exist or you do not have access to it.", "invalid_request_error", "model", "model_not_found");

    public static ApiError NotFound(string message) =>
        new(404, message, "invalid_request_error", null, "not_found");

    /// <summary>403: the key exists but may not call this model.</summary>
    public static ApiError ModelNotAllowed(string model) =>
        new(403, $"This API key is not allowed to use the model '{model}'.", "invalid_request_error", "model", "model_not_allowed");

    /// <summary>429 for a key over its requests- or tokens-per-minute limit, as OpenAI words it.</summary>
    public static ApiError RateLimited(string limit, long perMinute, TimeSpan retryAfter) =>
        new(429, $"Rate limit reached for {limit} per minute (limit: {perMinute}). Please try again in {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))}s.",
            "requests", null, "rate_limit_exceeded") { RetryAfter = retryAfter };

    /// <summary>402: the key has no credit or budget left for the call.</summary>
    public static ApiError InsufficientQuota(string? reason) =>
        new(402, reason ?? "You exceeded your current quota: this API key has no credit left.", "insufficient_quota", null, "insufficient_quota");

    /// <summary>503: billing storage cannot be reached, so a metered call cannot be admitted or recorded.</summary>
    public static ApiError BillingUnavailable() =>
        new(503, "The gateway cannot reach its billing storage right now; please retry shortly.", "server_error", null, "billing_unavailable")
        { RetryAfter = TimeSpan.FromSeconds(5) };

    /// <summary>503: the key's id is not in this instance's cache and the instance is over its budget of key lookups.</summary>
    public static ApiError KeyLookupsExhausted() =>
        new(503, "The gateway is checking too many unknown API keys right now; please retry shortly.", "server_error", null, "key_check_busy")
        { RetryAfter = TimeSpan.FromSeconds(1) };

    public static ApiError PayloadTooLarge(long limit) =>
        new(413, $"The request body is larger than the {limit} bytes this gateway accepts.", "invalid_request_error", null, "request_too_large");
}
