using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Synaxis.IntegrationTests;

/// <summary>One thing a client saw in a stream: a data payload or a comment, and when.</summary>
public sealed record SseLine(string? Data, string? Comment, TimeSpan At)
{
    public bool IsDone => Data == "[DONE]";

    public JsonObject? Json => Data is null || IsDone ? null : JsonNode.Parse(Data)?.AsObject();

    public string? Content => Json?["choices"]?.AsArray() is { Count: > 0 } choices ? choices[0]?["delta"]?["content"]?.GetValue<string>() : null;

    public bool IsError => Json?["error"] is not null;
}

/// <summary>Reads an SSE response line by line as a plain client would, timestamping each event.</summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseLine> ReadAsync(HttpResponseMessage response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseLine(data.ToString(), null, clock.Elapsed);
                    data.Clear();
                    hasData = false;
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                yield return new SseLine(null, line[1..].Trim(), clock.Elapsed);
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (hasData)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
                hasData = true;
            }
        }
    }

    public static async Task<List<SseLine>> ReadAllAsync(HttpResponseMessage response, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var lines = new List<SseLine>();
        await foreach (var line in ReadAsync(response, cancellation.Token))
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>The text a recorded OpenAI-format stream carries: its content deltas in order.</summary>
    public static string RecordedText(string fixture)
    {
        var text = new StringBuilder();
        foreach (var line in File.ReadLines(Synaxis.Testing.Fixtures.PathOf(fixture)))
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal)
                && JsonNode.Parse(line[6..])?["choices"]?.AsArray() is { Count: > 0 } choices
                && choices[0]?["delta"]?["content"] is JsonValue content)
            {
                text.Append(content.GetValue<string>());
            }
        }

        return text.ToString();
    }
}
