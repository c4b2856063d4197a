namespace Synaxis.Gateway.Routing;

/// <summary>
/// A resolved deployment: one upstream that can serve a public model, how long it may take, what it
/// costs, and how much of the model's traffic it takes. Providers receive it in <c>ProviderCall.Deployment</c>.
/// </summary>
public sealed class ModelDeployment
{
    /// <summary>The deployment's id, unique in the catalog; shown in <c>x-synaxis-deployment</c> and logs, so never a URL or key.</summary>
    public required string Name { get; init; }

    public required string Provider { get; init; }

    public required string UpstreamModel { get; init; }

    public Uri? BaseUrl { get; init; }

    public string? ApiKeySecret { get; init; }

    /// <summary>The provider API version to ask for; null means the provider's default.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The owning model's <c>owned_by</c>.</summary>
    public required string OwnedBy { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Share of the traffic among the model's deployments of the same priority.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Lower numbers are chosen first; higher ones are fallbacks.</summary>
    public int Priority { get; init; } = 1;

    /// <summary>USD per million input tokens; null when not priced.</summary>
    public decimal? InputPricePerMillion { get; init; }

    /// <summary>USD per million output tokens; null when not priced.</summary>
    public decimal? OutputPricePerMillion { get; init; }

    /// <summary>USD per million cached input tokens; null when not priced.</summary>
    public decimal? CachedInputPricePerMillion { get; init; }

    /// <summary>The output limit sent when a client sets none; null means the provider's default for the model.</summary>
    public int? MaxOutputTokens { get; init; }

    public int? ContextWindow { get; init; }

    /// <summary>Longest wait for a TCP connection to the upstream's host.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the upstream's first event (or, not streamed, its whole answer).</summary>
    public required TimeSpan FirstByteTimeout { get; init; }

    /// <summary>Longest silence between two events of a stream.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>Longest one call to this deployment may take from request to last event.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
