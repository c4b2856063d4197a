using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic's token counts in OpenAI's terms. Anthropic's <c>input_tokens</c> leaves out the prompt
/// tokens read from the cache and those written to it; OpenAI's <c>prompt_tokens</c> counts every prompt
/// token and names the cached ones in <c>prompt_tokens_details.cached_tokens</c>.
/// </summary>
internal static class AnthropicUsageMapper
{
    public static Usage ToUsage(AnthropicUsage usage, bool estimated = false) =>
        ToUsage(usage.InputTokens ?? 0, usage.CacheReadInputTokens ?? 0, usage.CacheCreationInputTokens ?? 0, usage.OutputTokens ?? 0, estimated);

    public static Usage ToUsage(int input, int cacheRead, int cacheCreation, int output, bool estimated)
    {
        var prompt = input + cacheRead + cacheCreation;
        return new Usage
        {
            PromptTokens = prompt,
            CompletionTokens = output,
            TotalTokens = prompt + output,
            PromptTokensDetails = new PromptTokensDetails { CachedTokens = cacheRead },
            IsEstimated = estimated,
        };
    }
}
