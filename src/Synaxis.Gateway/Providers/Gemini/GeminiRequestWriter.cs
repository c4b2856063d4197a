using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Writes the Gemini request for an OpenAI chat request: turns (<see cref="GeminiContentMapper"/>), function
/// declarations with the client's JSON Schema, <c>tool_choice</c> as a function-calling mode, and sampling
/// settings as <c>generationConfig</c>. What Gemini cannot express is refused with a 400 naming the field;
/// settings without a Gemini equivalent (<c>logit_bias</c>, <c>logprobs</c>, <c>parallel_tool_calls</c> …) are left out.
/// </summary>
internal static class GeminiRequestWriter
{
    /// <summary>Thinking budgets for <c>reasoning_effort</c>, as Google's own OpenAI-compatible endpoint sets them.</summary>
    private static readonly Dictionary<string, int> ThinkingBudgets = new(StringComparer.Ordinal)
    {
        ["none"] = 0, ["minimal"] = 0, ["low"] = 1024, ["medium"] = 8192, ["high"] = 24576,
    };

    public static (byte[]? Body, UpstreamFailure? Failure) Write(ChatCompletionRequest request, string upstreamModel)
    {
        var target = new GenerateContentRequest();
        var failure = GeminiContentMapper.Map(request, upstreamModel, target) ?? MapTools(request, target) ?? MapGeneration(request, target);
        return failure is null
            ? (JsonSerializer.SerializeToUtf8Bytes(target, GeminiJsonContext.Wire.GenerateContentRequest), null)
            : (null, failure);
    }

    private static UpstreamFailure? MapTools(ChatCompletionRequest request, GenerateContentRequest target)
    {
        if (request.Tools is { Count: > 0 } tools)
        {
            var declarations = new List<GeminiFunctionDeclaration>();
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i].Type != "function")
                {
                    return GeminiInputError.Unsupported($"tools[{i}].type", $"Gemini models take only function tools, not '{tools[i].Type}'.");
                }

                var declared = tools[i].Function!;
                declarations.Add(new GeminiFunctionDeclaration { Name = declared.Name!, Description = declared.Description, ParametersJsonSchema = declared.Parameters });
            }

            target.Tools = [new GeminiTool { FunctionDeclarations = declarations }];
        }

        if (request.ToolChoice is not { ValueKind: not JsonValueKind.Null } choice)
        {
            return null;
        }

        var (mode, name) = choice.ValueKind == JsonValueKind.String
            ? (choice.GetString() switch { "none" => "NONE", "auto" => "AUTO", "required" => "ANY", _ => null }, null)
            : ("ANY", choice.TryGetProperty("function", out var function) && function.TryGetProperty("name", out var named) ? named.GetString() : null);
        if (mode is null || (choice.ValueKind == JsonValueKind.Object && name is null))
        {
            return GeminiInputError.Invalid("tool_choice", "'tool_choice' must be 'none', 'auto', 'required' or {\"type\":\"function\",\"function\":{\"name\":…}}.");
        }

        target.ToolConfig = new GeminiToolConfig
        {
            FunctionCallingConfig = new GeminiFunctionCallingConfig { Mode = mode, AllowedFunctionNames = name is null ? null : [name] },
        };
        return null;
    }

    private static UpstreamFailure? MapGeneration(ChatCompletionRequest request, GenerateContentRequest target)
    {
        var extra = request.ExtensionData ?? [];
        var config = new GeminiGenerationConfig
        {
            MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            CandidateCount = request.N,
            StopSequences = request.Stop switch
            {
                { ValueKind: JsonValueKind.String } one => [one.GetString()!],
                { ValueKind: JsonValueKind.Array } many => [.. many.EnumerateArray().Select(s => s.GetString()!)],
                _ => null,
            },
            Seed = Number(extra, "seed") is { } seed ? (long)seed : null,
            PresencePenalty = Number(extra, "presence_penalty"),
            FrequencyPenalty = Number(extra, "frequency_penalty"),
        };

        if (extra.GetValueOrDefault("reasoning_effort") is { ValueKind: JsonValueKind.String } effort)
        {
            if (!ThinkingBudgets.TryGetValue(effort.GetString()!, out var budget))
            {
                return GeminiInputError.Invalid("reasoning_effort", "'reasoning_effort' must be one of 'none', 'minimal', 'low', 'medium', 'high'.");
            }

            config.ThinkingConfig = new GeminiThinkingConfig { ThinkingBudget = budget, IncludeThoughts = budget > 0 ? true : null };
        }

        if (extra.GetValueOrDefault("response_format") is { ValueKind: JsonValueKind.Object } format
            && format.TryGetProperty("type", out var type) && type.GetString() is "json_object" or "json_schema")
        {
            config.ResponseMimeType = "application/json";
            if (format.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.TryGetProperty("schema", out var schema))
            {
                config.ResponseJsonSchema = schema;
            }
        }

        target.GenerationConfig = config;
        return null;
    }

    private static double? Number(Dictionary<string, JsonElement> extra, string name) =>
        extra.GetValueOrDefault(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;
}
