using System.Text.Json;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>The body of <c>generateContent</c> and <c>streamGenerateContent</c>.</summary>
internal sealed class GenerateContentRequest
{
    public List<GeminiContent> Contents { get; set; } = [];

    public GeminiContent? SystemInstruction { get; set; }

    public List<GeminiTool>? Tools { get; set; }

    public GeminiToolConfig? ToolConfig { get; set; }

    public GeminiGenerationConfig? GenerationConfig { get; set; }
}

/// <summary>Functions the model may call.</summary>
internal sealed class GeminiTool
{
    public List<GeminiFunctionDeclaration> FunctionDeclarations { get; set; } = [];
}

/// <summary>A function and its parameters as JSON Schema (Gemini's <c>parametersJsonSchema</c> takes the client's schema as is).</summary>
internal sealed class GeminiFunctionDeclaration
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? ParametersJsonSchema { get; set; }
}

/// <summary>Whether and which functions the model must call.</summary>
internal sealed class GeminiToolConfig
{
    public required GeminiFunctionCallingConfig FunctionCallingConfig { get; set; }
}

/// <summary><c>AUTO</c>, <c>ANY</c> (must call, optionally one of <see cref="AllowedFunctionNames"/>) or <c>NONE</c>.</summary>
internal sealed class GeminiFunctionCallingConfig
{
    public required string Mode { get; set; }

    public List<string>? AllowedFunctionNames { get; set; }
}

/// <summary>Sampling and output settings.</summary>
internal sealed class GeminiGenerationConfig
{
    public int? MaxOutputTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public List<string>? StopSequences { get; set; }

    public int? CandidateCount { get; set; }

    public long? Seed { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    public string? ResponseMimeType { get; set; }

    public JsonElement? ResponseJsonSchema { get; set; }

    public GeminiThinkingConfig? ThinkingConfig { get; set; }
}

/// <summary>How much the model may think, and whether its thought summaries come back.</summary>
internal sealed class GeminiThinkingConfig
{
    public bool? IncludeThoughts { get; set; }

    public int? ThinkingBudget { get; set; }
}
