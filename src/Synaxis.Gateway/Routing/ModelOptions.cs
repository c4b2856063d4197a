using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// One entry of the model catalog as configured under <c>Synaxis:Models</c> (an array, so that app
/// settings can set it as <c>Synaxis__Models__0__Name</c> on hosts that forbid dots and dashes in names).
/// </summary>
public sealed class ModelOptions
{
    /// <summary>The public name clients send as <c>model</c>, e.g. <c>gpt-4</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Other public names for the same model.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary><c>openai</c> (any OpenAI-compatible server), <c>anthropic</c> or <c>mock</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>The model name the upstream knows; defaults to <see cref="Name"/>.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>The upstream's API root, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The name of the secret holding the upstream key (never the key itself); none for keyless servers.</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary>Shown as <c>owned_by</c> in <c>/v1/models</c>.</summary>
    public string? OwnedBy { get; set; }

    /// <summary>
    /// The API version the provider's requests carry: <c>api-version</c> for Azure OpenAI,
    /// <c>anthropic-version</c> for Anthropic. Each provider has a documented default.
    /// </summary>
    public string? ApiVersion { get; set; }

    /// <summary>
    /// The output limit sent when a client sets none, for providers that require one (Anthropic);
    /// null means the provider's documented default for the model.
    /// </summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Extra request headers some upstreams want (OpenRouter's <c>HTTP-Referer</c>, for one).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Overrides <see cref="GatewayOptions.FirstByteTimeout"/> for this model.</summary>
    public TimeSpan? FirstByteTimeout { get; set; }

    /// <summary>Overrides <see cref="GatewayOptions.IdleTimeout"/> for this model.</summary>
    public TimeSpan? IdleTimeout { get; set; }
}
