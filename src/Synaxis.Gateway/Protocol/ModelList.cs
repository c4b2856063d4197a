namespace Synaxis.Gateway.Protocol;

/// <summary>The answer of <c>GET /v1/models</c>.</summary>
public sealed class ModelList
{
    public string Object { get; set; } = "list";

    public List<ModelInfo> Data { get; set; } = [];
}

/// <summary>One model as <c>GET /v1/models/{id}</c> describes it.</summary>
public sealed class ModelInfo
{
    public required string Id { get; set; }

    public string Object { get; set; } = "model";

    public long Created { get; set; }

    public required string OwnedBy { get; set; }

    /// <summary>
    /// What the model costs, from the catalog; absent when it is not priced. OpenAI's own list has no such field,
    /// and its SDKs ignore fields they do not know.
    /// </summary>
    public ModelPricing? Pricing { get; set; }
}
