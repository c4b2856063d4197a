namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>Anthropic's <c>stop_reason</c> in OpenAI's <c>finish_reason</c> terms, and back.</summary>
public static class AnthropicFinishReasons
{
    public static string ToOpenAI(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop", // end_turn, stop_sequence, pause_turn, and none given
    };

    public static string ToAnthropic(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };
}
