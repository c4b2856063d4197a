using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

/// <summary>Vectors the gateway holds are written as OpenAI writes them: numbers, or base64 of little-endian float32.</summary>
public sealed class EmbeddingsWriterTests
{
    private static readonly float[][] Vectors = [[0.25f, -1.5f, 3.0e-7f], [1f, 0f, -0.125f]];

    [Fact]
    public void Floats_AreWrittenAsNumbersInOrder()
    {
        var list = JsonNode.Parse(EmbeddingsWriter.Write(Vectors, "gemini-embedding-001", new Usage { PromptTokens = 5, TotalTokens = 5 }, base64: false))!;

        Assert.Equal("list", list["object"]!.GetValue<string>());
        Assert.Equal("gemini-embedding-001", list["model"]!.GetValue<string>());
        Assert.Equal("""{"prompt_tokens":5,"total_tokens":5}""", list["usage"]!.ToJsonString());
        var data = list["data"]!.AsArray();
        Assert.Equal([0, 1], data.Select(d => d!["index"]!.GetValue<int>()));
        Assert.All(data, d => Assert.Equal("embedding", d!["object"]!.GetValue<string>()));
        Assert.Equal(Vectors[0], data[0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Fact]
    public void Base64_DecodesToTheSameFloats_AsTheSdksDecodeIt()
    {
        var list = JsonNode.Parse(EmbeddingsWriter.Write(Vectors, "m", new Usage(), base64: true))!;

        var bytes = Convert.FromBase64String(list["data"]![1]!["embedding"]!.GetValue<string>());
        Assert.Equal(Vectors[1], MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }
}
