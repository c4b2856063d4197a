using System.Buffers;
using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// Reads an Anthropic Messages request and turns it into the canonical one, checking it as Anthropic
/// does (<c>model</c>, <c>messages</c> and <c>max_tokens</c> are required). What the canonical format cannot
/// carry (documents, server tools, images inside tool results) is refused with a 400 naming the field.
/// </summary>
internal static class MessagesRequestReader
{
    public static ApiError? TryRead(ReadOnlySequence<byte> body, out ChatCompletionRequest? request)
    {
        request = null;
        MessagesRequest? anthropic;
        try
        {
            var reader = new Utf8JsonReader(body);
            anthropic = JsonSerializer.Deserialize(ref reader, AnthropicJsonContext.Wire.MessagesRequest);
            if (reader.Read())
            {
                anthropic = null; // something follows the request object
            }
        }
        catch (JsonException exception)
        {
            return ChatRequestReader.ParamFromPath(exception.Path) is { } param
                ? ApiError.InvalidRequest($"{param}: invalid value or type.", param, "invalid_type")
                : InvalidBody();
        }

        if (anthropic is null)
        {
            return InvalidBody();
        }

        var error = Validate(anthropic) ?? ToCanonical(anthropic, out request);
        return error ?? ChatRequestValidator.Validate(request!);
    }

    private static ApiError InvalidBody() => ApiError.InvalidRequest(
        "The request body is not valid JSON. This endpoint expects an Anthropic Messages request with 'model', 'messages' and 'max_tokens'.",
        code: "invalid_json");

    private static ApiError? Validate(MessagesRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return ApiError.MissingParameter("model") with { Message = "model: Field required" };
        }

        if (request.MaxTokens is not { } maxTokens)
        {
            return ApiError.MissingParameter("max_tokens") with { Message = "max_tokens: Field required" };
        }

        if (maxTokens < 1)
        {
            return ApiError.InvalidValue("max_tokens", "max_tokens: must be at least 1");
        }

        if (request.Messages is not { Count: > 0 } messages)
        {
            return ApiError.MissingParameter("messages") with { Message = "messages: at least one message is required" };
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { Role: "user" or "assistant", Content: not null })
            {
                return messages[i]?.Content is null
                    ? ApiError.MissingParameter($"messages.{i}.content") with { Message = $"messages.{i}.content: Field required" }
                    : ApiError.InvalidValue($"messages.{i}.role", $"messages.{i}.role: Input should be 'user' or 'assistant'");
            }
        }

        return null;
    }

    private static ApiError? ToCanonical(MessagesRequest anthropic, out ChatCompletionRequest? request)
    {
        request = null;
        var messages = new List<ChatMessage>();
        if (anthropic.System is { } system)
        {
            messages.Add(new ChatMessage { Role = "system", Content = MessageContent.FromText(Text(system)) });
        }

        for (var i = 0; i < anthropic.Messages!.Count; i++)
        {
            var turn = anthropic.Messages[i];
            var error = turn.Role == "user"
                ? MessagesTurnMapper.AddUserTurn(turn.Content!, messages, $"messages.{i}.content")
                : MessagesTurnMapper.AddAssistantTurn(turn.Content!, messages, $"messages.{i}.content");
            if (error is not null)
            {
                return error;
            }
        }

        var (tools, toolsError) = MessagesTurnMapper.Tools(anthropic.Tools);
        if (toolsError is not null)
        {
            return toolsError;
        }

        request = new ChatCompletionRequest
        {
            Model = anthropic.Model,
            Messages = messages,
            Stream = anthropic.Stream,
            MaxTokens = anthropic.MaxTokens,
            Temperature = anthropic.Temperature,
            TopP = anthropic.TopP,
            Stop = anthropic.StopSequences is { Count: > 0 } stops ? JsonSerializer.SerializeToElement(stops, AnthropicJsonContext.Wire.ListString) : null,
            Tools = tools,
            ToolChoice = tools is null ? null : MessagesTurnMapper.ToolChoice(anthropic.ToolChoice),
            User = anthropic.Metadata?.UserId,
            ExtensionData = Extras(anthropic),
        };
        return null;
    }

    // Anthropic's own knobs ride along: the Anthropic provider sends them on, an OpenAI-compatible server may know them.
    private static Dictionary<string, JsonElement>? Extras(MessagesRequest anthropic)
    {
        var extras = new Dictionary<string, JsonElement>();
        if (anthropic.TopK is { } topK)
        {
            extras["top_k"] = JsonSerializer.SerializeToElement(topK, GatewayJsonContext.Wire.Int32);
        }

        if (anthropic.Thinking is { ValueKind: JsonValueKind.Object } thinking)
        {
            extras["thinking"] = thinking;
        }

        if (anthropic.ToolChoice?.DisableParallelToolUse == true && anthropic.Tools is { Count: > 0 })
        {
            extras["parallel_tool_calls"] = JsonSerializer.SerializeToElement(false, GatewayJsonContext.Wire.Boolean);
        }

        return extras.Count > 0 ? extras : null;
    }

    /// <summary>The text of string content or of its text blocks, joined by newlines.</summary>
    internal static string Text(BlockContent content) =>
        content.Text ?? string.Join("\n", content.Blocks!.Where(b => b.Type == "text").Select(b => b.Text));
}
