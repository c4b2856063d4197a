using Microsoft.Extensions.Configuration;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Reads secrets from configuration, for local runs and tests (chosen when no Key Vault is configured). A secret
/// named <c>openai-api-key</c> is found, in this order, under the setting of exactly that name, the environment
/// variable <c>OPENAI_API_KEY</c> (the name upper-cased, dashes as underscores; <c>local.settings.json</c> values
/// arrive as environment variables too), or <c>Synaxis:Secrets:openai-api-key</c>.
/// </summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Read(name) ?? Read(SecretNames.ToEnvironmentVariable(name)) ?? Read($"Synaxis:Secrets:{name}"));

    /// <summary>Configuration is read live (reloadable providers update it in place), so a refresh is a read.</summary>
    public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken) => GetSecretAsync(name, cancellationToken);

    /// <summary>Where a secret is looked for, for messages that tell an operator how to set it.</summary>
    public static string DescribeLocations(string name) =>
        $"setting '{name}', environment variable {SecretNames.ToEnvironmentVariable(name)} or setting 'Synaxis:Secrets:{name}'";

    // Trimmed like Key Vault values: a key pasted with a trailing newline is still the key.
    private string? Read(string key) => configuration[key]?.Trim() is { Length: > 0 } value ? value : null;
}
