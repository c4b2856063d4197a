using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>One event as <see cref="OpenAIChunkParser"/> saw it, copied out before the parser reuses its buffer.</summary>
internal sealed record ParsedItem(ParsedEventKind Kind, string EventType, string Json, bool HasChoices, Usage? Usage, UpstreamFailure? Failure, bool SawFinishReason)
{
    /// <summary>Everything that matters about the event as one comparable string.</summary>
    public string Describe() =>
        $"{Kind}|{EventType}|{Json}|{HasChoices}|{Usage?.PromptTokens}/{Usage?.CompletionTokens}/{Usage?.TotalTokens}|{Failure?.Kind}:{Failure?.Message}:{Failure?.Code}|{SawFinishReason}";
}

/// <summary>Runs a body through the same pipeline the provider uses: <see cref="SseParser"/> with <see cref="OpenAIChunkParser"/>.</summary>
internal static class ParsedStream
{
    public static async Task<List<ParsedItem>> ParseAsync(Stream body)
    {
        using var parser = new OpenAIChunkParser();
        var items = new List<ParsedItem>();
        await foreach (var item in SseParser.Create(body, parser.Parse).EnumerateAsync())
        {
            var chunk = item.Data.Chunk;
            items.Add(new ParsedItem(item.Data.Kind, item.EventType, Encoding.UTF8.GetString(chunk.Json.Span), chunk.HasChoices, chunk.Usage, chunk.Failure, parser.SawFinishReason));
        }

        return items;
    }

    /// <summary>The text of every string <c>choices[].delta.content</c>, in order.</summary>
    public static string Content(IEnumerable<string> chunkJson)
    {
        var text = new StringBuilder();
        foreach (var json in chunkJson)
        {
            if (JsonNode.Parse(json)?["choices"] is JsonArray choices)
            {
                foreach (var choice in choices)
                {
                    if (choice?["delta"]?["content"] is JsonValue content && content.TryGetValue<string>(out var piece))
                    {
                        text.Append(piece);
                    }
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The payloads of a recorded body's <c>data:</c> lines except <c>[DONE]</c>, read line by line without any
    /// SSE parser, as the independent account of what the file holds (recorded OpenAI-format streams put one
    /// data line in each event).
    /// </summary>
    public static List<string> DataPayloads(byte[] body) =>
        Encoding.UTF8.GetString(body).ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
            .Select(line => line[5..].StartsWith(' ') ? line[6..] : line[5..])
            .Where(payload => payload != "[DONE]")
            .ToList();

    /// <summary>
    /// The raw bytes after <c>data: </c> of each recorded event except <c>[DONE]</c>, cut straight from the
    /// file, for recordings whose events are each one <c>data:</c> line.
    /// </summary>
    public static List<byte[]> DataPayloadBytes(byte[] body)
    {
        var payloads = new List<byte[]>();
        foreach (var recorded in SseFixture.SplitEvents(body))
        {
            var line = recorded.AsSpan().TrimEnd("\r\n"u8);
            if (line.StartsWith("data: "u8) && !line.SequenceEqual("data: [DONE]"u8))
            {
                payloads.Add(line[6..].ToArray());
            }
        }

        return payloads;
    }
}
