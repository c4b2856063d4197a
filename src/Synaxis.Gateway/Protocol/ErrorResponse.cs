using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>OpenAI's error envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed class ErrorResponse
{
    public required ErrorBody Error { get; set; }
}

/// <summary>The body of an OpenAI error; <c>param</c> and <c>code</c> are written even when null, as OpenAI does.</summary>
public sealed class ErrorBody
{
    public required string Message { get; set; }

    public required string Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; set; }
}
