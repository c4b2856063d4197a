using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;
using Synaxis.Gateway.Providers.Anthropic;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// Turns a canonical <c>chat.completion</c> into Anthropic's <c>message</c>: reasoning as a thinking block,
/// the text as a text block, each tool call as a <c>tool_use</c> block with its arguments parsed as input.
/// </summary>
internal static class MessagesAnswerWriter
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static byte[] Write(ReadOnlySpan<byte> completionJson, string fallbackModel)
    {
        var completion = JsonSerializer.Deserialize(completionJson, GatewayJsonContext.Wire.ChatCompletion)!;
        var choice = completion.Choices.Find(c => c.Index == 0);
        var answer = choice?.Message;
        var message = new MessageResponse
        {
            Id = completion.Id ?? $"msg_{Guid.NewGuid():N}",
            Model = completion.Model ?? fallbackModel,
            StopReason = AnthropicFinishReasons.ToAnthropic(choice?.FinishReason),
            Usage = Usage(completion.Usage),
        };

        if (answer?.ExtensionData?.TryGetValue("reasoning_content", out var reasoning) == true && reasoning.ValueKind == JsonValueKind.String)
        {
            message.Content.Add(new ContentBlock { Type = "thinking", Thinking = reasoning.GetString(), Signature = "" });
        }

        if ((answer?.Content ?? answer?.Refusal) is { Length: > 0 } text)
        {
            message.Content.Add(new ContentBlock { Type = "text", Text = text });
        }

        foreach (var call in answer?.ToolCalls ?? [])
        {
            message.Content.Add(new ContentBlock { Type = "tool_use", Id = call.Id, Name = call.Function?.Name, Input = Input(call.Function?.Arguments) });
        }

        return JsonSerializer.SerializeToUtf8Bytes(message, AnthropicJsonContext.Wire.MessageResponse);
    }

    private static AnthropicUsage Usage(Usage? usage)
    {
        var cached = usage?.PromptTokensDetails?.CachedTokens ?? 0;
        return new AnthropicUsage
        {
            InputTokens = Math.Max(0, (usage?.PromptTokens ?? 0) - cached),
            CacheReadInputTokens = cached,
            OutputTokens = usage?.CompletionTokens ?? 0,
        };
    }

    // A model may write arguments that are not a JSON object; Anthropic's input must be one.
    private static JsonElement Input(string? arguments)
    {
        try
        {
            return string.IsNullOrWhiteSpace(arguments) ? EmptyObject : JsonDocument.Parse(arguments).RootElement is { ValueKind: JsonValueKind.Object } input ? input.Clone() : EmptyObject;
        }
        catch (JsonException)
        {
            return EmptyObject;
        }
    }
}
