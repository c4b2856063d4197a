namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>Gemini's finish reasons as OpenAI's.</summary>
internal static class GeminiFinishReason
{
    /// <summary>
    /// <c>MAX_TOKENS</c> is <c>length</c>; every safety, blocklist, recitation and prohibited-content stop is
    /// <c>content_filter</c>; a normal stop after function calls is <c>tool_calls</c>, as OpenAI clients expect;
    /// anything else (<c>OTHER</c>, <c>MALFORMED_FUNCTION_CALL</c>, reasons added later) is <c>stop</c>.
    /// </summary>
    public static string ToOpenAI(string reason, bool calledTools) => reason switch
    {
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" => "content_filter",
        _ when calledTools => "tool_calls",
        _ => "stop",
    };
}
