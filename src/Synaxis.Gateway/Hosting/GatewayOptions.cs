using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Providers.Mock;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Hosting;

/// <summary>Everything the gateway reads from the <c>Synaxis</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Synaxis";

    /// <summary>The model catalog.</summary>
    public List<ModelOptions> Models { get; set; } = [];

    /// <summary>Bearer keys accepted from clients. Empty (and no <see cref="ApiKeysSecret"/>) means open, which is refused in Azure unless <see cref="AllowAnonymous"/> is set.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>The name of a secret holding more client keys, comma-separated, so that in Azure they live in the vault.</summary>
    public string? ApiKeysSecret { get; set; }

    /// <summary>The name of the secret holding the admin key that guards the key-management API.</summary>
    public string AdminKeySecret { get; set; } = SecretNames.DefaultAdminKey;

    /// <summary>Azure Key Vault; when its URI is unset, secrets come from configuration and environment variables.</summary>
    public KeyVaultOptions KeyVault { get; set; } = new();

    /// <summary>Pay-per-call state in Azure Table Storage: issued keys, metering, budgets, rate limits.</summary>
    public BillingOptions Billing { get; set; } = new();

    /// <summary>Lets a gateway with no keys serve anyone even where that is refused by default (in Azure).</summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Longest wait for a TCP connection to an upstream host.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the upstream's first byte (response headers and first event).</summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest silence between two chunks of a stream.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest one upstream call may take, from request to last event.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries, fallback and circuit breaking across a model's deployments.</summary>
    public RoutingOptions Routing { get; set; } = new();

    /// <summary>How long a stream may stay silent before a <c>: keep-alive</c> comment is sent.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Origins allowed to call from a browser (the standalone host; Functions uses the platform's CORS).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    public MockOptions Mock { get; set; } = new();
}
