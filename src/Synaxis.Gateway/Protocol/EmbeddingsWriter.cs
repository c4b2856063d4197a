using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Synaxis.Gateway.Protocol;

/// <summary>
/// Writes OpenAI's embeddings answer (<c>{"object":"list","data":[{"object":"embedding","index":0,"embedding":…}],"model","usage"}</c>)
/// for vectors the gateway holds: each vector as numbers, or as base64 of its little-endian float32 bytes when asked.
/// </summary>
public static class EmbeddingsWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(IReadOnlyList<float[]> vectors, string model, Usage usage, bool base64)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            for (var i = 0; i < vectors.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object"u8, "embedding"u8);
                writer.WriteNumber("index"u8, i);
                if (base64)
                {
                    writer.WriteBase64String("embedding"u8, AsLittleEndianBytes(vectors[i]));
                }
                else
                {
                    writer.WriteStartArray("embedding"u8);
                    foreach (var value in vectors[i])
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model"u8, model);
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
            writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static ReadOnlySpan<byte> AsLittleEndianBytes(float[] vector)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.AsBytes(vector.AsSpan());
        }

        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
