using Microsoft.Extensions.Options;

namespace Synaxis.Gateway.Hosting;

/// <summary>Refuses to start with secret settings that cannot work: a vault URI Key Vault cannot have, a refresh that never comes.</summary>
internal sealed class SecretOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        var vault = options.KeyVault;
        // Azure.Core sends bearer tokens over TLS only, so an http:// vault could never be read.
        if (vault.IsConfigured && !(Uri.TryCreate(vault.VaultUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add("Synaxis:KeyVault:VaultUri must be an absolute https URL such as https://kv-synaxis.vault.azure.net/.");
        }

        if (vault.RefreshInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Synaxis:KeyVault:RefreshInterval must be at least one second.");
        }

        if (string.IsNullOrWhiteSpace(options.AdminKeySecret))
        {
            failures.Add("Synaxis:AdminKeySecret must name a secret (the default is synaxis-admin-key).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
