using System.Text;
using System.Text.Json.Nodes;

namespace Synaxis.IntegrationTests.Messages;

/// <summary>One event of an Anthropic-format stream: its <c>event:</c> name and its JSON.</summary>
public sealed record AnthropicSseEvent(string? Type, JsonObject Data);

/// <summary>Reads an Anthropic-format SSE response as a plain client would: event names and data, comments skipped.</summary>
public static class AnthropicSseReader
{
    public static async Task<List<AnthropicSseEvent>> ReadAllAsync(HttpResponseMessage response, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token), Encoding.UTF8);
        var events = new List<AnthropicSseEvent>();
        string? type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    events.Add(new AnthropicSseEvent(type, JsonNode.Parse(data.ToString())!.AsObject()));
                }

                (type, data) = (null, data.Clear());
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(6));
            }
        }

        return events;
    }

    /// <summary>The text of every <c>text_delta</c>, in order.</summary>
    public static string Text(IEnumerable<AnthropicSseEvent> events) => string.Concat(events
        .Where(e => e.Data["delta"]?["type"]?.GetValue<string>() == "text_delta")
        .Select(e => e.Data["delta"]!["text"]!.GetValue<string>()));
}
