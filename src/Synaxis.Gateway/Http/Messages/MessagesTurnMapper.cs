using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// Maps Anthropic turns and tools to canonical messages and tools: a user turn's <c>tool_result</c> blocks
/// become <c>tool</c> messages (ahead of its other content, as OpenAI wants results right after the calls),
/// an assistant turn's <c>tool_use</c> blocks become <c>tool_calls</c>, images become <c>image_url</c> parts.
/// Thinking blocks sent back in assistant turns are dropped: the canonical format has no place for them.
/// </summary>
internal static class MessagesTurnMapper
{
    public static ApiError? AddUserTurn(BlockContent content, List<ChatMessage> messages, string path)
    {
        if (content.Text is { } text)
        {
            messages.Add(new ChatMessage { Role = "user", Content = MessageContent.FromText(text) });
            return null;
        }

        var parts = new List<ContentPart>();
        for (var i = 0; i < content.Blocks!.Count; i++)
        {
            var block = content.Blocks[i];
            switch (block.Type)
            {
                case "text":
                    parts.Add(new ContentPart { Type = "text", Text = block.Text ?? "" });
                    break;
                case "image" when ImageUrl(block.Source) is { } url:
                    parts.Add(new ContentPart { Type = "image_url", ImageUrl = new ImageUrl { Url = url } });
                    break;
                case "tool_result" when block.Content?.Blocks?.FindIndex(b => b.Type != "text") is null or < 0:
                    messages.Add(new ChatMessage
                    {
                        Role = "tool",
                        ToolCallId = block.ToolUseId,
                        Content = MessageContent.FromText(block.Content is null ? "" : MessagesRequestReader.Text(block.Content)),
                    });
                    break;
                default:
                    return Unsupported($"{path}.{i}", block.Type switch
                    {
                        "image" => "An image must come as base64 data or a URL.",
                        "tool_result" => "Tool results may hold only text here.",
                        _ => $"Content blocks of type '{block.Type}' are not supported by this gateway.",
                    });
            }
        }

        if (parts.Count > 0)
        {
            messages.Add(new ChatMessage { Role = "user", Content = MessageContent.FromParts(parts) });
        }

        return null;
    }

    public static ApiError? AddAssistantTurn(BlockContent content, List<ChatMessage> messages, string path)
    {
        var text = new List<string>();
        var calls = new List<ToolCall>();
        foreach (var (block, i) in (content.Blocks ?? [new ContentBlock { Type = "text", Text = content.Text }]).Select((b, i) => (b, i)))
        {
            switch (block.Type)
            {
                case "text":
                    text.Add(block.Text ?? "");
                    break;
                case "tool_use":
                    calls.Add(block.ToToolCall());
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                default:
                    return Unsupported($"{path}.{i}", $"Content blocks of type '{block.Type}' are not supported by this gateway.");
            }
        }

        messages.Add(new ChatMessage
        {
            Role = "assistant",
            Content = text.Count > 0 || calls.Count == 0 ? MessageContent.FromText(string.Concat(text)) : null,
            ToolCalls = calls.Count > 0 ? calls : null,
        });
        return null;
    }

    public static (List<ChatTool>? Tools, ApiError? Error) Tools(List<ToolDefinition>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return (null, null);
        }

        var mapped = new List<ChatTool>(tools.Count);
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            if (tool.Type is not (null or "custom"))
            {
                return (null, Unsupported($"tools.{i}.type", $"Server tools ('{tool.Type}') are not supported by this gateway; custom tools are."));
            }

            if (string.IsNullOrEmpty(tool.Name))
            {
                return (null, ApiError.MissingParameter($"tools.{i}.name") with { Message = $"tools.{i}.name: Field required" });
            }

            mapped.Add(new ChatTool
            {
                Type = "function",
                Function = new FunctionDefinition { Name = tool.Name, Description = tool.Description, Parameters = tool.InputSchema },
            });
        }

        return (mapped, null);
    }

    public static JsonElement? ToolChoice(ToolChoiceParam? choice) => choice?.Type switch
    {
        "auto" => Json("\"auto\""),
        "any" => Json("\"required\""),
        "none" => Json("\"none\""),
        "tool" => JsonSerializer.SerializeToElement(new ChatTool { Type = "function", Function = new FunctionDefinition { Name = choice.Name } }, GatewayJsonContext.Wire.ChatTool),
        _ => null,
    };

    private static string? ImageUrl(MediaSource? source) => source switch
    {
        { Type: "base64", MediaType: { } mediaType, Data: { } data } => $"data:{mediaType};base64,{data}",
        { Type: "url", Url: { } url } => url,
        _ => null,
    };

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static ApiError Unsupported(string param, string message) => ApiError.InvalidRequest($"{param}: {message}", param, "unsupported_content");
}
