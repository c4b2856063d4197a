using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers.Anthropic;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// Turns a canonical chunk stream into Anthropic's events, as the Anthropic SDKs accumulate them:
/// <c>message_start</c> first; then content blocks numbered in order, one open at a time (text for
/// <c>content</c>, thinking for <c>reasoning_content</c>, tool_use for each tool call with its arguments as
/// <c>input_json_delta</c>); at the end <c>message_delta</c> with the stop reason and usage, and <c>message_stop</c>.
/// </summary>
internal sealed class MessagesEventWriter(string fallbackModel) : IDisposable
{
    private readonly AnthropicEventJson _json = new();
    private readonly Dictionary<int, int> _toolBlocks = [];
    private bool _started;
    private int _blocks;
    private int _open = -1;
    private string? _openKind;
    private string? _finishReason;
    private Usage? _usage;

    /// <summary>Adds the events a canonical chunk stands for; a chunk that is not a chat.completion.chunk adds none.</summary>
    public void Chunk(ReadOnlySpan<byte> json, List<AnthropicEvent> output)
    {
        ChatCompletionChunk? chunk;
        try
        {
            chunk = JsonSerializer.Deserialize(json, GatewayJsonContext.Wire.ChatCompletionChunk);
        }
        catch (JsonException)
        {
            return;
        }

        if (chunk is null)
        {
            return;
        }

        Start(chunk.Id, chunk.Model, output);
        _usage = chunk.Usage ?? _usage;
        // Anthropic has one answer per message: the first choice is the answer.
        if (chunk.Choices.Find(c => c.Index == 0) is not { } choice)
        {
            return;
        }

        var delta = choice.Delta;
        if (Reasoning(delta) is { Length: > 0 } reasoning)
        {
            Open("thinking", output);
            output.Add(_json.BlockDelta(_open, "thinking_delta", "thinking", reasoning));
        }

        if ((delta.Content ?? delta.Refusal) is { Length: > 0 } text)
        {
            Open("text", output);
            output.Add(_json.BlockDelta(_open, "text_delta", "text", text));
        }

        foreach (var call in delta.ToolCalls ?? [])
        {
            ToolCall(call, output);
        }

        if (choice.FinishReason is { } finish)
        {
            _finishReason = finish;
            Close(output);
        }
    }

    /// <summary>Ends a complete answer: <c>message_delta</c> with the stop reason and usage, then <c>message_stop</c>.</summary>
    public void Done(List<AnthropicEvent> output)
    {
        Start(null, null, output);
        Close(output);
        output.Add(_json.MessageDelta(AnthropicFinishReasons.ToAnthropic(_finishReason), _usage));
        output.Add(_json.MessageStop());
    }

    public void Dispose() => _json.Dispose();

    private void Start(string? id, string? model, List<AnthropicEvent> output)
    {
        if (!_started)
        {
            _started = true;
            output.Add(_json.MessageStart(id ?? $"msg_{Guid.NewGuid():N}", model ?? fallbackModel));
        }
    }

    private void ToolCall(ToolCall call, List<AnthropicEvent> output)
    {
        var index = call.Index ?? 0;
        if (!_toolBlocks.TryGetValue(index, out var block))
        {
            Close(output);
            block = _open = _blocks++;
            _openKind = "tool_use";
            _toolBlocks[index] = block;
            output.Add(_json.ToolUseStart(block, call.Id ?? $"toolu_{Guid.NewGuid():N}", call.Function?.Name ?? ""));
        }

        // Deltas of a call whose block was closed by another still carry its index; the SDKs accumulate by index.
        if (call.Function?.Arguments is { Length: > 0 } arguments)
        {
            output.Add(_json.BlockDelta(block, "input_json_delta", "partial_json", arguments));
        }
    }

    private void Open(string kind, List<AnthropicEvent> output)
    {
        if (_openKind != kind)
        {
            Close(output);
            _open = _blocks++;
            _openKind = kind;
            output.Add(_json.BlockStart(_open, kind));
        }
    }

    private void Close(List<AnthropicEvent> output)
    {
        if (_openKind is not null)
        {
            _openKind = null;
            output.Add(_json.BlockStop(_open));
        }
    }

    private static string? Reasoning(ChatDelta delta) =>
        delta.ExtensionData is { } extra && (extra.TryGetValue("reasoning_content", out var value) || extra.TryGetValue("reasoning", out value))
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
