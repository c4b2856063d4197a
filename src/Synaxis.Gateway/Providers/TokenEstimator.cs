using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers;

/// <summary>
/// Counts tokens when an upstream does not say how many it used: about four characters a token (the
/// usual rule for English text), three tokens of framing per message, 85 per image (OpenAI's low-detail
/// price). Billing must never see "unknown"; usage made here carries <see cref="Usage.IsEstimated"/>.
/// </summary>
public static class TokenEstimator
{
    private const int PerMessage = 3;
    private const int PerImage = 85;

    /// <summary>Tokens for <paramref name="characters"/> characters of text.</summary>
    public static int ForCharacters(long characters) => characters <= 0 ? 0 : (int)Math.Min(int.MaxValue, (characters + 3) / 4);

    /// <summary>The prompt a chat request sends: its messages, their tool calls, and the tool definitions.</summary>
    public static int ForPrompt(ChatCompletionRequest request)
    {
        long characters = 0;
        var framing = PerMessage; // the reply's own priming
        foreach (var message in request.Messages ?? [])
        {
            framing += PerMessage;
            characters += (message.Role?.Length ?? 0) + (message.Name?.Length ?? 0);
            if (message.Content?.Text is { } text)
            {
                characters += text.Length;
            }
            else
            {
                foreach (var part in message.Content?.Parts ?? [])
                {
                    characters += part.Text?.Length ?? 0;
                    framing += part.Type == "text" ? 0 : PerImage;
                }
            }

            foreach (var call in message.ToolCalls ?? [])
            {
                characters += (call.Function?.Name?.Length ?? 0) + (call.Function?.Arguments?.Length ?? 0);
            }
        }

        foreach (var tool in request.Tools ?? [])
        {
            var function = tool.Function;
            characters += (function?.Name?.Length ?? 0) + (function?.Description?.Length ?? 0)
                + (function?.Parameters is { } parameters ? parameters.GetRawText().Length : 0);
        }

        return framing + ForCharacters(characters);
    }

    /// <summary>Usage for a call whose prompt and answer sizes are known only to the gateway.</summary>
    public static Usage Estimate(int promptTokens, long completionCharacters)
    {
        var completion = ForCharacters(completionCharacters);
        return new Usage
        {
            PromptTokens = promptTokens,
            CompletionTokens = completion,
            TotalTokens = promptTokens + completion,
            IsEstimated = true,
        };
    }
}
