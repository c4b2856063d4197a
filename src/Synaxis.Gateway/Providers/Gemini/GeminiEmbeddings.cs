using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// OpenAI embeddings through Gemini's <c>batchEmbedContents</c>: one embed request per input text, at most
/// 100 to a batch, <c>dimensions</c> as <c>outputDimensionality</c>. Gemini reports no token counts, so
/// usage is the gateway's estimate, marked as such.
/// </summary>
internal static class GeminiEmbeddings
{
    private const int MaxBatch = 100;
    private const int MaxAnswerBytes = 64 * 1024 * 1024;

    public delegate Task<UpstreamResponse> Send(string method, byte[] body, CancellationToken cancellationToken);

    public static async Task<EmbeddingsResult> EmbedAsync(EmbeddingsCall call, string modelPath, Send send, CancellationToken cancellationToken)
    {
        if (call.Input.Texts is not { } texts)
        {
            return EmbeddingsResult.Failed(GeminiInputError.Unsupported("input", "Gemini embedding models take text, not token ids."));
        }

        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += MaxBatch)
        {
            var batch = new BatchEmbedContentsRequest
            {
                Requests = [.. texts.Skip(start).Take(MaxBatch).Select(text => new EmbedContentRequest
                {
                    Model = modelPath,
                    Content = new GeminiContent { Parts = [new GeminiPart { Text = text }] },
                    OutputDimensionality = call.Request.Dimensions,
                })],
            };
            using var response = await send("batchEmbedContents", JsonSerializer.SerializeToUtf8Bytes(batch, GeminiJsonContext.Wire.BatchEmbedContentsRequest), cancellationToken).ConfigureAwait(false);
            if (response.Failure is { } failure)
            {
                return EmbeddingsResult.Failed(failure);
            }

            var (body, complete) = await BoundedContentReader.ReadAsync(response.Message!.Content, MaxAnswerBytes, cancellationToken).ConfigureAwait(false);
            var embeddings = complete ? TryParse(body) : null;
            if (embeddings is null || embeddings.Count != batch.Requests.Count || embeddings.Any(e => e.Values is null))
            {
                return EmbeddingsResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer does not hold one embedding per input."));
            }

            vectors.AddRange(embeddings.Select(e => e.Values!.ToArray()));
        }

        var usage = call.EstimateUsage();
        return EmbeddingsResult.Success(EmbeddingsWriter.Write(vectors, call.Deployment.UpstreamModel, usage, call.Request.WantsBase64), usage);
    }

    private static List<GeminiEmbedding>? TryParse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, GeminiJsonContext.Wire.BatchEmbedContentsResponse)?.Embeddings;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
