using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Gemini's token counts in OpenAI's terms: thinking is output (billed as such, and reported as
/// <c>reasoning_tokens</c>), tool-use prompt tokens are input, cached content is <c>cached_tokens</c>.
/// </summary>
internal static class GeminiUsage
{
    public static Usage From(GeminiUsageMetadata metadata)
    {
        var prompt = (metadata.PromptTokenCount ?? 0) + (metadata.ToolUsePromptTokenCount ?? 0);
        var completion = (metadata.CandidatesTokenCount ?? 0) + (metadata.ThoughtsTokenCount ?? 0);
        return new Usage
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = prompt + completion,
            PromptTokensDetails = new PromptTokensDetails { CachedTokens = metadata.CachedContentTokenCount ?? 0 },
            CompletionTokensDetails = new CompletionTokensDetails { ReasoningTokens = metadata.ThoughtsTokenCount ?? 0 },
        };
    }
}
