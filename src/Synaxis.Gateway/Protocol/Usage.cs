using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>Token counts of one call, as OpenAI reports them.</summary>
public sealed class Usage
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public int TotalTokens { get; set; }

    public PromptTokensDetails? PromptTokensDetails { get; set; }

    public CompletionTokensDetails? CompletionTokensDetails { get; set; }

    /// <summary>True when the gateway counted the tokens itself because the upstream did not say.</summary>
    [JsonIgnore]
    public bool IsEstimated { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Breakdown of prompt tokens; cached tokens are billed at a lower price by most providers.</summary>
public sealed class PromptTokensDetails
{
    public int? CachedTokens { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Breakdown of completion tokens.</summary>
public sealed class CompletionTokensDetails
{
    public int? ReasoningTokens { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
