using System.Text;

namespace Synaxis.Gateway.Tests.Providers.Properties;

/// <summary>
/// What a client must end up with after a <see cref="GeminiScript"/>, worked out from the events alone:
/// per choice the text, thoughts and calls that arrived before it finished, how the stream ends, and the
/// last usage reported. Written independently of the translator, from Gemini's and OpenAI's documentation.
/// </summary>
internal sealed class ExpectedGeminiAnswer
{
    public Dictionary<int, ExpectedChoice> Choices { get; } = [];

    /// <summary>"error", "reset" (ended before every choice finished) or "complete".</summary>
    public string Ending { get; private set; } = "complete";

    public GeminiUsageSpec? Usage { get; private set; }

    public static ExpectedGeminiAnswer Of(GeminiScript script)
    {
        var expected = new ExpectedGeminiAnswer();
        foreach (var spec in script.Events)
        {
            if (spec is ErrorEvent)
            {
                expected.Ending = "error";
                return expected;
            }

            expected.Usage = spec.Usage ?? expected.Usage;
            if (spec is BlockedEvent)
            {
                var choice = expected.Choice(0);
                choice.FinishReason ??= "content_filter";
            }

            foreach (var candidate in (spec as CandidatesEvent)?.Candidates ?? [])
            {
                var choice = expected.Choice(candidate.Index);
                if (choice.FinishReason is not null)
                {
                    continue; // Gemini does not continue a finished candidate; if it did, clients must not see it
                }

                foreach (var part in candidate.Parts)
                {
                    switch (part.Kind)
                    {
                        case PartKind.Text: choice.Content.Append(part.Text); break;
                        case PartKind.Thought: choice.Reasoning.Append(part.Text); break;
                        default: choice.Calls.Add(part); break;
                    }
                }

                choice.FinishReason = candidate.FinishReason switch
                {
                    null => null,
                    "MAX_TOKENS" => "length",
                    "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" => "content_filter",
                    _ => choice.Calls.Count > 0 ? "tool_calls" : "stop",
                };
            }
        }

        if (expected.Choices.Count == 0 || expected.Choices.Values.Any(c => c.FinishReason is null))
        {
            expected.Ending = "reset";
        }

        return expected;
    }

    private ExpectedChoice Choice(int index) => Choices.TryGetValue(index, out var choice) ? choice : Choices[index] = new ExpectedChoice();
}

internal sealed class ExpectedChoice
{
    public StringBuilder Content { get; } = new();

    public StringBuilder Reasoning { get; } = new();

    public List<PartSpec> Calls { get; } = [];

    public string? FinishReason { get; set; }
}
