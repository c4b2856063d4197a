using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Writes the Messages API request for a canonical (OpenAI) request. What Anthropic has no field for
/// (<c>logprobs</c>, <c>seed</c>, penalties, <c>response_format</c> …) is left out; what cannot be honoured
/// (<c>n</c> above 1, non-function tools, audio) is refused before any upstream call.
/// </summary>
internal static class AnthropicRequestWriter
{
    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public static (byte[]? Body, UpstreamFailure? Invalid) Write(ChatCompletionRequest request, ModelDeployment deployment, bool stream)
    {
        if (request.N is > 1)
        {
            return (null, AnthropicMessageMapper.Unsupported("n", "Anthropic models return one choice per request; 'n' must be 1."));
        }

        var upstream = new MessagesRequest
        {
            Model = deployment.UpstreamModel,
            MaxTokens = request.MaxCompletionTokens ?? request.MaxTokens ?? deployment.MaxOutputTokens ?? AnthropicOutputLimits.DefaultFor(deployment.UpstreamModel),
            Stream = stream ? true : null,
            Temperature = request.Temperature,
            TopP = request.TopP,
            StopSequences = StopSequences(request.Stop),
            Metadata = request.User is null ? null : new RequestMetadata { UserId = request.User },
        };

        var invalid = AnthropicMessageMapper.Map(request.Messages!, upstream) ?? MapTools(request, upstream);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        // Anthropic's own parameters, for OpenAI-format clients that know them (LiteLLM accepts the same).
        if (request.ExtensionData is { } extra)
        {
            if (extra.TryGetValue("top_k", out var topK) && topK.ValueKind == JsonValueKind.Number && topK.TryGetInt32(out var k))
            {
                upstream.TopK = k;
            }

            if (extra.TryGetValue("thinking", out var thinking) && thinking.ValueKind == JsonValueKind.Object)
            {
                upstream.Thinking = thinking;
            }
        }

        return (JsonSerializer.SerializeToUtf8Bytes(upstream, AnthropicJsonContext.Wire.MessagesRequest), null);
    }

    private static List<string>? StopSequences(JsonElement? stop) => stop switch
    {
        { ValueKind: JsonValueKind.String } one => [one.GetString()!],
        { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Select(s => s.GetString()!).ToList(),
        _ => null,
    };

    private static UpstreamFailure? MapTools(ChatCompletionRequest request, MessagesRequest upstream)
    {
        var parallel = request.ExtensionData?.TryGetValue("parallel_tool_calls", out var value) == true && value.ValueKind == JsonValueKind.False
            ? false
            : (bool?)null;
        if (request.Tools is not { Count: > 0 } tools)
        {
            return null; // Anthropic refuses a tool_choice without tools, and without tools there is no choice to make.
        }

        upstream.Tools = new List<ToolDefinition>(tools.Count);
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i].Type != "function")
            {
                return AnthropicMessageMapper.Unsupported($"tools[{i}].type", $"Tools of type '{tools[i].Type}' cannot be sent to Anthropic models; function tools can.");
            }

            var function = tools[i].Function!;
            upstream.Tools.Add(new ToolDefinition
            {
                Name = function.Name,
                Description = function.Description,
                InputSchema = function.Parameters is { ValueKind: JsonValueKind.Object } schema ? schema : EmptySchema,
                ExtensionData = tools[i].ExtensionData?.TryGetValue("cache_control", out var cacheControl) == true ? new() { ["cache_control"] = cacheControl } : null,
            });
        }

        var choice = request.ToolChoice switch
        {
            null or { ValueKind: JsonValueKind.Null } => parallel is null ? null : new ToolChoiceParam { Type = "auto" },
            { ValueKind: JsonValueKind.String } named => named.GetString() switch
            {
                "auto" => new ToolChoiceParam { Type = "auto" },
                "required" => new ToolChoiceParam { Type = "any" },
                "none" => new ToolChoiceParam { Type = "none" },
                _ => null,
            },
            { ValueKind: JsonValueKind.Object } forced when forced.TryGetProperty("function", out var function)
                && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                => new ToolChoiceParam { Type = "tool", Name = name.GetString() },
            _ => null,
        };
        if (choice is null && request.ToolChoice is { ValueKind: not JsonValueKind.Null })
        {
            return AnthropicMessageMapper.Unsupported("tool_choice", "'tool_choice' must be 'none', 'auto', 'required' or {\"type\":\"function\",\"function\":{\"name\":…}}.");
        }

        if (choice is not null && parallel == false && choice.Type != "none")
        {
            choice.DisableParallelToolUse = true;
        }

        upstream.ToolChoice = choice;
        return null;
    }
}
