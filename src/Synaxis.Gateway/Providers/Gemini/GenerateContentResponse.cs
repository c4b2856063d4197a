namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>A <c>generateContent</c> answer, or one event of <c>streamGenerateContent?alt=sse</c>.</summary>
internal sealed class GenerateContentResponse
{
    public List<GeminiCandidate>? Candidates { get; set; }

    public GeminiPromptFeedback? PromptFeedback { get; set; }

    public GeminiUsageMetadata? UsageMetadata { get; set; }

    public string? ModelVersion { get; set; }

    public string? ResponseId { get; set; }

    /// <summary>Set when the upstream reports an error inside an open stream.</summary>
    public GeminiError? Error { get; set; }
}

/// <summary>One answer of the model; <see cref="FinishReason"/> is set on the last event of a stream.</summary>
internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }

    public string? FinishReason { get; set; }

    public int? Index { get; set; }
}

/// <summary>Why the prompt itself was refused, when it was (<c>SAFETY</c>, <c>BLOCKLIST</c>, <c>PROHIBITED_CONTENT</c> …).</summary>
internal sealed class GeminiPromptFeedback
{
    public string? BlockReason { get; set; }
}

/// <summary>Token counts; in a stream every event carries the counts so far.</summary>
internal sealed class GeminiUsageMetadata
{
    public int? PromptTokenCount { get; set; }

    public int? CandidatesTokenCount { get; set; }

    public int? ThoughtsTokenCount { get; set; }

    public int? CachedContentTokenCount { get; set; }

    public int? ToolUsePromptTokenCount { get; set; }

    public int? TotalTokenCount { get; set; }
}

/// <summary>Google's error object: <c>{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}</c>.</summary>
internal sealed class GeminiError
{
    public int? Code { get; set; }

    public string? Message { get; set; }

    public string? Status { get; set; }

    public List<GeminiErrorDetail>? Details { get; set; }
}

/// <summary>A detail of an error; the gateway reads <c>ErrorInfo.reason</c> and <c>RetryInfo.retryDelay</c>.</summary>
internal sealed class GeminiErrorDetail
{
    [System.Text.Json.Serialization.JsonPropertyName("@type")]
    public string? Type { get; set; }

    public string? Reason { get; set; }

    public string? RetryDelay { get; set; }
}

/// <summary>An error answer's envelope.</summary>
internal sealed class GeminiErrorResponse
{
    public GeminiError? Error { get; set; }
}
