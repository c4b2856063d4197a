namespace Synaxis.Gateway.Routing;

/// <summary>A resolved catalog entry: where calls for a public model name go and how long they may wait.</summary>
public sealed class ModelDeployment
{
    public required string Name { get; init; }

    public required string Provider { get; init; }

    public required string UpstreamModel { get; init; }

    public Uri? BaseUrl { get; init; }

    public string? ApiKeySecret { get; init; }

    /// <summary>The provider API version to ask for; null means the provider's default.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The output limit sent when a client sets none; null means the provider's default for the model.</summary>
    public int? MaxOutputTokens { get; init; }

    public required string OwnedBy { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public required TimeSpan FirstByteTimeout { get; init; }

    public required TimeSpan IdleTimeout { get; init; }
}
