using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Mock;

/// <summary>
/// Embeddings without a provider: each input's vector is derived from a SHA-256 of its text, so the same
/// text always gets the same unit-length vector and different texts get unrelated ones. Enough to try
/// a client's embeddings code; meaningless as semantics.
/// </summary>
internal static class MockEmbeddings
{
    public const int DefaultDimensions = 256;
    public const int MaxDimensions = 8192;

    public static EmbeddingsResult Embed(EmbeddingsCall call)
    {
        var dimensions = call.Request.Dimensions ?? DefaultDimensions;
        if (dimensions > MaxDimensions)
        {
            return EmbeddingsResult.Failed(new UpstreamFailure(UpstreamFailureKind.Rejected, $"The mock model makes vectors of at most {MaxDimensions} dimensions.")
            {
                UpstreamStatus = 400, Type = "invalid_request_error", Param = "dimensions", Code = "invalid_value",
            });
        }

        var inputs = call.Input.Texts ?? [.. call.Input.Tokens!.Select(t => string.Join(',', t))];
        var vectors = inputs.Select(text => Vector(text, dimensions)).ToList();
        var usage = call.EstimateUsage();
        return EmbeddingsResult.Success(EmbeddingsWriter.Write(vectors, call.Deployment.UpstreamModel, usage, call.Request.WantsBase64), usage);
    }

    private static float[] Vector(string text, int dimensions)
    {
        var seed = Encoding.UTF8.GetBytes(text);
        var vector = new float[dimensions];
        Span<byte> block = stackalloc byte[32];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input, 4);
        for (var i = 0; i < dimensions; i += 8)
        {
            BinaryPrimitives.WriteInt32LittleEndian(input, i);
            SHA256.HashData(input, block);
            for (var j = 0; j < 8 && i + j < dimensions; j++)
            {
                // Four hash bytes to a value in [-1, 1].
                vector[i + j] = (BinaryPrimitives.ReadUInt32LittleEndian(block[(j * 4)..]) / (float)uint.MaxValue * 2) - 1;
            }
        }

        var length = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= length;
        }

        return vector;
    }
}
