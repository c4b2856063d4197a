using System.Text;
using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Turns a non-streamed Anthropic <c>message</c> into a <c>chat.completion</c>: text blocks joined into
/// <c>content</c>, <c>tool_use</c> blocks into <c>tool_calls</c> (their input as the arguments string),
/// thinking into <c>reasoning_content</c>; redacted thinking and server tool blocks are dropped.
/// </summary>
internal static class AnthropicAnswerTranslator
{
    public static CompletionResult Translate(byte[] body, long created)
    {
        MessageResponse? message;
        try
        {
            message = JsonSerializer.Deserialize(body, AnthropicJsonContext.Wire.MessageResponse);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null || message.Type != "message")
        {
            return CompletionResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer is not a Messages API message."));
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ToolCall>();
        foreach (var block in message.Content)
        {
            switch (block.Type)
            {
                case "text":
                    text.Append(block.Text);
                    break;
                case "thinking":
                    reasoning.Append(block.Thinking);
                    break;
                case "tool_use":
                    calls.Add(block.ToToolCall());
                    break;
            }
        }

        var answer = new ResponseMessage
        {
            // OpenAI sends null content beside tool calls when the model wrote no text.
            Content = text.Length > 0 || calls.Count == 0 ? text.ToString() : null,
            ToolCalls = calls.Count > 0 ? calls : null,
        };
        if (reasoning.Length > 0)
        {
            answer.ExtensionData = new() { ["reasoning_content"] = JsonSerializer.SerializeToElement(reasoning.ToString(), GatewayJsonContext.Wire.String) };
        }

        var usage = message.Usage is { } counted
            ? AnthropicUsageMapper.ToUsage(counted)
            : AnthropicUsageMapper.ToUsage(0, 0, 0, (text.Length + reasoning.Length + 3) / 4, estimated: true);
        var completion = new ChatCompletion
        {
            Id = message.Id,
            Created = created,
            Model = message.Model,
            Choices = [new ChatChoice { Index = 0, Message = answer, FinishReason = AnthropicFinishReasons.ToOpenAI(message.StopReason) }],
            Usage = usage,
        };
        return CompletionResult.Success(JsonSerializer.SerializeToUtf8Bytes(completion, GatewayJsonContext.Wire.ChatCompletion), usage);
    }
}
