using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// The gateway's errors in Anthropic's shape, <c>{"type":"error","error":{"type","message"}}</c>, with the
/// type Anthropic's clients expect for the status (they decide on retries and exception classes by it).
/// </summary>
internal static class AnthropicErrors
{
    public static string TypeFor(ApiError error) => error switch
    {
        { Code: "upstream_overloaded" or "overloaded_error" } => "overloaded_error",
        { Status: 400 } => "invalid_request_error",
        { Status: 401 } => "authentication_error",
        { Status: 403 } => "permission_error",
        { Status: 404 } => "not_found_error",
        { Status: 413 } => "request_too_large",
        { Status: 429 } => "rate_limit_error",
        { Status: 504 } => "timeout_error",
        { Status: >= 400 and < 500 } => "invalid_request_error",
        _ => "api_error",
    };

    public static AnthropicErrorResponse ToResponse(ApiError error) =>
        new() { Error = new AnthropicErrorDetail { Type = TypeFor(error), Message = error.Message } };

    public static byte[] ToUtf8Json(ApiError error) => JsonSerializer.SerializeToUtf8Bytes(ToResponse(error), AnthropicJsonContext.Wire.AnthropicErrorResponse);
}
