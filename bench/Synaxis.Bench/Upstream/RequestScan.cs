using System.Buffers;
using System.Text.Json;

namespace Synaxis.Bench.Upstream;

/// <summary>Reads the two top-level fields of a chat request the fake upstream cares about, without building objects.</summary>
internal static class RequestScan
{
    /// <summary><c>stream</c>: whether to answer with events; <c>user</c>: the tag of a stream whose cancellation the bench times.</summary>
    public static (bool Stream, string? User) Read(ReadOnlySequence<byte> body)
    {
        var stream = false;
        string? user = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (false, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStream = reader.ValueTextEquals("stream"u8);
                var isUser = reader.ValueTextEquals("user"u8);
                reader.Read();
                if (isStream)
                {
                    stream = reader.TokenType == JsonTokenType.True;
                }
                else if (isUser && reader.TokenType == JsonTokenType.String)
                {
                    user = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A malformed body is answered as a non-streamed request; the bench's own checks then fail it.
        }

        return (stream, user);
    }
}
