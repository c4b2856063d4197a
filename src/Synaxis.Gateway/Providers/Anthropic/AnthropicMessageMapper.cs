using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Maps an OpenAI conversation to Anthropic's: system and developer messages become the top-level
/// <c>system</c>, tool messages become <c>tool_result</c> blocks of a user turn, assistant tool calls become
/// <c>tool_use</c> blocks, and consecutive turns of one role are merged, as Anthropic wants them.
/// </summary>
internal static class AnthropicMessageMapper
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Fills <c>system</c> and <c>messages</c>; returns what cannot be mapped, naming the field.</summary>
    public static UpstreamFailure? Map(List<ChatMessage> messages, MessagesRequest target)
    {
        var system = new List<ContentBlock>();
        var turns = new List<MessageParam>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var (role, blocks, error) = MapOne(message, system, $"messages[{i}]");
            if (error is not null)
            {
                return error;
            }

            if (role is not null && blocks!.Count > 0)
            {
                Append(turns, role, blocks);
            }
        }

        target.System = system.Count > 0 ? BlockContent.FromBlocks(system) : null;
        target.Messages = turns;
        return null;
    }

    private static (string? Role, List<ContentBlock>? Blocks, UpstreamFailure? Error) MapOne(ChatMessage message, List<ContentBlock> system, string path)
    {
        switch (message.Role)
        {
            case "system" or "developer":
                return (null, null, AddSystem(message.Content, system, path));
            case "user":
                var user = UserBlocks(message.Content, path, out var userError);
                return ("user", user, userError);
            case "assistant":
                var assistant = AssistantBlocks(message, path, out var assistantError);
                return ("assistant", assistant, assistantError);
            case "tool":
                return ("user", [ToolResult(message)], null);
            default:
                return (null, null, Unsupported($"{path}.role",
                    $"Messages with role '{message.Role}' cannot be sent to Anthropic models; use 'tool' messages for tool results."));
        }
    }

    private static void Append(List<MessageParam> turns, string role, List<ContentBlock> blocks)
    {
        if (turns.Count > 0 && turns[^1].Role == role)
        {
            turns[^1].Content!.Blocks!.AddRange(blocks);
        }
        else
        {
            turns.Add(new MessageParam { Role = role, Content = BlockContent.FromBlocks(blocks) });
        }
    }

    private static UpstreamFailure? AddSystem(MessageContent? content, List<ContentBlock> system, string path)
    {
        if (content?.Parts is { } parts && parts.FindIndex(p => p.Type != "text") is var index and >= 0)
        {
            return Unsupported($"{path}.content[{index}]", "System messages sent to Anthropic models may hold only text.");
        }

        system.AddRange(TextBlocks(content));
        return null;
    }

    private static List<ContentBlock> UserBlocks(MessageContent? content, string path, out UpstreamFailure? error)
    {
        error = null;
        if (content?.Parts is not { } parts)
        {
            return TextBlocks(content);
        }

        var blocks = new List<ContentBlock>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var block = part.Type switch
            {
                "text" => new ContentBlock { Type = "text", Text = part.Text },
                "image_url" => ImageBlock(part.ImageUrl!.Url!),
                _ => null,
            };
            if (block is null)
            {
                error = Unsupported($"{path}.content[{i}]", part.Type == "image_url"
                    ? "An image sent to Anthropic models must be an http(s) URL or a base64 data: URL."
                    : $"Content parts of type '{part.Type}' cannot be sent to Anthropic models; text and images can.");
                return blocks;
            }

            // Prompt caching: OpenAI-format clients mark a part with Anthropic's cache_control, as LiteLLM accepts it.
            if (part.ExtensionData?.TryGetValue("cache_control", out var cacheControl) == true)
            {
                block.ExtensionData = new() { ["cache_control"] = cacheControl };
            }

            blocks.Add(block);
        }

        return blocks;
    }

    private static ContentBlock? ImageBlock(string url)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var marker = url.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase);
            return marker < 0 ? null : new ContentBlock
            {
                Type = "image",
                Source = new MediaSource { Type = "base64", MediaType = url[5..marker], Data = url[(marker + 8)..] },
            };
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new ContentBlock { Type = "image", Source = new MediaSource { Type = "url", Url = url } }
            : null;
    }

    private static List<ContentBlock> AssistantBlocks(ChatMessage message, string path, out UpstreamFailure? error)
    {
        error = null;
        // OpenAI clients send "" or null beside tool calls; Anthropic refuses empty text blocks.
        var blocks = TextBlocks(message.Content).Where(b => !string.IsNullOrEmpty(b.Text)).ToList();
        var calls = message.ToolCalls ?? [];
        for (var i = 0; i < calls.Count; i++)
        {
            var arguments = calls[i].Function?.Arguments;
            JsonElement input;
            try
            {
                input = string.IsNullOrWhiteSpace(arguments) ? EmptyObject : JsonDocument.Parse(arguments).RootElement.Clone();
            }
            catch (JsonException)
            {
                input = default;
            }

            if (input.ValueKind != JsonValueKind.Object)
            {
                error = Unsupported($"{path}.tool_calls[{i}].function.arguments", "Tool call arguments sent to Anthropic models must be a JSON object.");
                return blocks;
            }

            blocks.Add(new ContentBlock { Type = "tool_use", Id = calls[i].Id, Name = calls[i].Function?.Name, Input = input });
        }

        return blocks;
    }

    private static ContentBlock ToolResult(ChatMessage message) => new()
    {
        Type = "tool_result",
        ToolUseId = message.ToolCallId,
        Content = message.Content?.Parts is null
            ? BlockContent.FromText(message.Content?.Text ?? "")
            : BlockContent.FromBlocks(TextBlocks(message.Content)),
    };

    private static List<ContentBlock> TextBlocks(MessageContent? content)
    {
        if (content is null)
        {
            return [];
        }

        if (content.Parts is null)
        {
            return [new ContentBlock { Type = "text", Text = content.Text }];
        }

        return content.Parts.Where(p => p.Type == "text").Select(p => new ContentBlock
        {
            Type = "text",
            Text = p.Text,
            ExtensionData = p.ExtensionData?.TryGetValue("cache_control", out var cacheControl) == true ? new() { ["cache_control"] = cacheControl } : null,
        }).ToList();
    }

    internal static UpstreamFailure Unsupported(string param, string message) =>
        new(UpstreamFailureKind.Rejected, message) { Param = param, Type = "invalid_request_error", Code = "unsupported_for_provider" };
}
