namespace Synaxis.Gateway.Secrets;

/// <summary>Where secrets come from in Azure: <c>Synaxis:KeyVault</c>.</summary>
public sealed class KeyVaultOptions
{
    /// <summary>The vault, e.g. <c>https://kv-synaxis.vault.azure.net/</c>. Unset means secrets come from configuration.</summary>
    public string? VaultUri { get; set; }

    /// <summary>How often every cached secret is read again in the background.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(VaultUri);
}
