using System.Text;
using System.Text.Json.Serialization;

namespace Synaxis.Gateway.Protocol;

/// <summary>
/// Message content as OpenAI accepts it: either a string or an array of <see cref="ContentPart"/>.
/// </summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed class MessageContent
{
    private MessageContent(string? text, List<ContentPart>? parts)
    {
        Text = text;
        Parts = parts;
    }

    /// <summary>The content when it was sent as a plain string.</summary>
    public string? Text { get; }

    /// <summary>The content when it was sent as an array of parts.</summary>
    public List<ContentPart>? Parts { get; }

    public static MessageContent FromText(string text) => new(text, null);

    public static MessageContent FromParts(List<ContentPart> parts) => new(null, parts);

    /// <summary>The text of the content, parts of type <c>text</c> joined by newlines.</summary>
    public string ToPlainText()
    {
        if (Text is not null)
        {
            return Text;
        }

        var builder = new StringBuilder();
        foreach (var part in Parts!)
        {
            if (part.Type == "text" && part.Text is not null)
            {
                if (builder.Length > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(part.Text);
            }
        }

        return builder.ToString();
    }
}
