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
}
