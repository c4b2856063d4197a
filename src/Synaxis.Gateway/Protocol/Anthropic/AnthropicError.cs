using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol.Anthropic;

/// <summary>Anthropic's error envelope: <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
public sealed class AnthropicErrorResponse
{
    public string Type { get; set; } = "error";

    public AnthropicErrorDetail? Error { get; set; }

    public string? RequestId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// What went wrong: <c>invalid_request_error</c>, <c>authentication_error</c>, <c>permission_error</c>,
/// <c>not_found_error</c>, <c>request_too_large</c>, <c>rate_limit_error</c>, <c>api_error</c>, <c>overloaded_error</c>.
/// </summary>
public sealed class AnthropicErrorDetail
{
    public string? Type { get; set; }

    public string? Message { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
