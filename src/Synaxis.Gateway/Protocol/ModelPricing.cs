namespace Synaxis.Gateway.Protocol;

/// <summary>
/// A model's prices in USD per million tokens as <c>GET /v1/models</c> shows them (<c>input_per_million</c>, …),
/// so that a client can estimate what an answer cost from its usage.
/// </summary>
public sealed class ModelPricing
{
    public decimal? InputPerMillion { get; set; }

    public decimal? OutputPerMillion { get; set; }

    /// <summary>The price of prompt tokens served from the provider's cache; absent when they cost as much as other input.</summary>
    public decimal? CachedInputPerMillion { get; set; }
}
