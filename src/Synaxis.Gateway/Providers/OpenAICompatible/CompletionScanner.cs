using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>Checks that a non-streamed answer is a chat completion and finds its usage, without building the object.</summary>
internal static class CompletionScanner
{
    public static bool TryReadUsage(ReadOnlySpan<byte> body, out Usage? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var sawChoices = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                sawChoices |= reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Wire.Usage);
                }
                else
                {
                    reader.Skip();
                }
            }

            return sawChoices;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
