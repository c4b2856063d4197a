using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// One deployment as configured: an entry of a model's <c>Deployments</c> array, or (on
/// <see cref="ModelOptions"/>) the fields written inline on the model itself. Unset fields fall back
/// to the model's inline value, then to the gateway-wide default.
/// </summary>
public class DeploymentOptions
{
    /// <summary>
    /// In a <c>Deployments</c> entry: the deployment's unique id (e.g. <c>gpt-4-eastus</c>), shown in
    /// <c>x-synaxis-deployment</c> and in logs. On a model: its public name, which is also the id of the
    /// one deployment its inline fields describe.
    /// </summary>
    public string? Name { get; set; }

    /// <summary><c>openai</c> (any OpenAI-compatible server), <c>azure-openai</c>, <c>anthropic</c>, <c>gemini</c> or <c>mock</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>The model name the upstream knows; defaults to the public model name.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>The upstream's API root, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The name of the secret holding the upstream key (never the key itself); blank for keyless servers.</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary>
    /// The API version the provider's requests carry: <c>api-version</c> for Azure OpenAI,
    /// <c>anthropic-version</c> for Anthropic. Each provider has a documented default.
    /// </summary>
    public string? ApiVersion { get; set; }

    /// <summary>Extra request headers some upstreams want (OpenRouter's <c>HTTP-Referer</c>, for one).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Share of the traffic among deployments of the same priority; default 1.</summary>
    public int? Weight { get; set; }

    /// <summary>Lower numbers are chosen first; a higher one is a fallback used only when every lower one is unavailable. Default 1.</summary>
    public int? Priority { get; set; }

    /// <summary>USD per million input tokens.</summary>
    public decimal? InputPricePerMillion { get; set; }

    /// <summary>USD per million output tokens.</summary>
    public decimal? OutputPricePerMillion { get; set; }

    /// <summary>USD per million input tokens served from the provider's prompt cache.</summary>
    public decimal? CachedInputPricePerMillion { get; set; }

    /// <summary>
    /// The output limit sent when a client sets none, for providers that require one (Anthropic);
    /// null means the provider's documented default for the model.
    /// </summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>The upstream model's context window in tokens.</summary>
    public int? ContextWindow { get; set; }

    /// <summary>Overrides <see cref="GatewayOptions.ConnectTimeout"/>.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>Overrides <see cref="GatewayOptions.FirstByteTimeout"/>.</summary>
    public TimeSpan? FirstByteTimeout { get; set; }

    /// <summary>Overrides <see cref="GatewayOptions.IdleTimeout"/>.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>Overrides <see cref="GatewayOptions.TotalTimeout"/>.</summary>
    public TimeSpan? TotalTimeout { get; set; }
}
