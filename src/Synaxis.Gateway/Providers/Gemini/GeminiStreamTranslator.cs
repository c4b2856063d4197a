using System.Text;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Turns <c>streamGenerateContent</c> events into OpenAI chunks, one chunk per event that says something:
/// text parts become <c>content</c>, thought summaries <c>reasoning_content</c>, <c>functionCall</c> parts
/// whole <c>tool_calls</c> with generated ids, a finish reason ends its choice, a blocked prompt ends the
/// answer with <c>content_filter</c>. At the end comes the usage chunk; a stream that stops before every
/// choice finished ends with a failure instead.
/// </summary>
internal sealed class GeminiStreamTranslator(ProviderCall call, TimeProvider time) : IDisposable
{
    private readonly Dictionary<int, ChoiceState> _choices = [];
    private readonly List<ToolCallDelta> _toolCalls = [];
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();
    private ChunkJsonWriter? _writer;
    private GeminiUsageMetadata? _usage;
    private long _characters;

    /// <summary>The chunk for one event, or null when the event adds nothing a client would see.</summary>
    public StreamChunk? Translate(GenerateContentResponse response)
    {
        if (response.Error is { } error)
        {
            return StreamChunk.Failed(GeminiErrorReader.FromStreamError(error));
        }

        _usage = response.UsageMetadata ?? _usage;
        var writer = _writer ??= new ChunkJsonWriter(
            "chatcmpl-" + (response.ResponseId ?? call.RequestId), time.GetUtcNow().ToUnixTimeSeconds(), response.ModelVersion ?? call.Deployment.UpstreamModel);
        writer.Begin();
        var wrote = false;
        if (response.Candidates is not { Count: > 0 } && response.PromptFeedback?.BlockReason is not null)
        {
            wrote = WriteChoice(writer, 0, null, null, blocked: true);
        }

        foreach (var candidate in response.Candidates ?? [])
        {
            wrote |= WriteChoice(writer, candidate.Index ?? 0, candidate.Content?.Parts, candidate.FinishReason, blocked: false);
        }

        return wrote ? writer.End() : null;
    }

    /// <summary>What follows the last event: the usage chunk, or a failure when the answer is incomplete.</summary>
    public StreamChunk Complete()
    {
        if (_choices.Count == 0 || _choices.Values.Any(c => !c.Finished))
        {
            return StreamChunk.Failed(new UpstreamFailure(UpstreamFailureKind.Reset, "The upstream ended the stream before the answer was complete."));
        }

        var usage = _usage is not null
            ? GeminiUsage.From(_usage)
            : TokenEstimator.Estimate(TokenEstimator.ForPrompt(call.Request), _characters);
        return _writer!.Usage(usage);
    }

    private bool WriteChoice(ChunkJsonWriter writer, int index, List<GeminiPart>? parts, string? finishReason, bool blocked)
    {
        if (!_choices.TryGetValue(index, out var choice))
        {
            _choices[index] = choice = new ChoiceState();
        }

        if (choice.Finished)
        {
            return false;
        }

        _content.Clear();
        _reasoning.Clear();
        _toolCalls.Clear();
        foreach (var part in parts ?? [])
        {
            if (part.FunctionCall is { } functionCall)
            {
                var arguments = functionCall.Args?.GetRawText() ?? "{}";
                _toolCalls.Add(new ToolCallDelta(choice.ToolCalls++, GeminiToolCallId.Create(functionCall.Id, part.ThoughtSignature), functionCall.Name ?? "", arguments));
                _characters += (functionCall.Name?.Length ?? 0) + arguments.Length;
            }
            else if (part.Text is { } text)
            {
                (part.Thought == true ? _reasoning : _content).Append(text);
                _characters += text.Length;
            }
        }

        var finish = blocked ? "content_filter" : finishReason is null ? null : GeminiFinishReason.ToOpenAI(finishReason, choice.ToolCalls > 0);
        if (_content.Length == 0 && _reasoning.Length == 0 && _toolCalls.Count == 0 && finish is null)
        {
            return false;
        }

        writer.Choice(index, role: !choice.Started, _content.Length > 0 ? _content.ToString() : null,
            _reasoning.Length > 0 ? _reasoning.ToString() : null, _toolCalls, finish);
        choice.Started = true;
        choice.Finished = finish is not null;
        return true;
    }

    public void Dispose() => _writer?.Dispose();

    private sealed class ChoiceState
    {
        public bool Started { get; set; }

        public bool Finished { get; set; }

        public int ToolCalls { get; set; }
    }
}
