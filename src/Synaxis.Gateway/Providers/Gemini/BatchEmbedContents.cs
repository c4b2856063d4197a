namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>The body of <c>batchEmbedContents</c>: one request per input text.</summary>
internal sealed class BatchEmbedContentsRequest
{
    public List<EmbedContentRequest> Requests { get; set; } = [];
}

/// <summary>One text to embed; <see cref="Model"/> repeats the URL's model as <c>models/NAME</c>.</summary>
internal sealed class EmbedContentRequest
{
    public required string Model { get; set; }

    public required GeminiContent Content { get; set; }

    public int? OutputDimensionality { get; set; }
}

/// <summary>The vectors, in the order of the requests.</summary>
internal sealed class BatchEmbedContentsResponse
{
    public List<GeminiEmbedding>? Embeddings { get; set; }
}

/// <summary>One vector.</summary>
internal sealed class GeminiEmbedding
{
    public List<float>? Values { get; set; }
}
