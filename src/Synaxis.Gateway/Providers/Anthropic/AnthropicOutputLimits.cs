namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// The <c>max_tokens</c> sent when an OpenAI client sets no limit. Anthropic requires one, and OpenAI's
/// meaning of "no limit" is "as long as the model can write", so the default is the model's documented
/// maximum output (Anthropic's models overview), found by the longest matching prefix of the upstream
/// model name. Unknown models get 4096, a value every Claude model accepts.
/// </summary>
internal static class AnthropicOutputLimits
{
    public const int Fallback = 4096;

    // Longest prefix first: "claude-opus-4-1" must win over "claude-opus-4".
    private static readonly (string Prefix, int MaxTokens)[] Table =
    [
        ("claude-sonnet-4-5", 64_000),
        ("claude-haiku-4-5", 64_000),
        ("claude-opus-4-5", 64_000),
        ("claude-opus-4-1", 32_000),
        ("claude-3-7-sonnet", 64_000),
        ("claude-3-5-sonnet", 8_192),
        ("claude-3-5-haiku", 8_192),
        ("claude-sonnet-4", 64_000),
        ("claude-opus-4", 32_000),
        ("claude-3-opus", 4_096),
        ("claude-3-sonnet", 4_096),
        ("claude-3-haiku", 4_096),
    ];

    /// <summary>The default for <paramref name="upstreamModel"/>, e.g. 64000 for <c>claude-sonnet-4-20250514</c>.</summary>
    public static int DefaultFor(string upstreamModel)
    {
        foreach (var (prefix, maxTokens) in Table)
        {
            if (upstreamModel.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return maxTokens;
            }
        }

        return Fallback;
    }
}
