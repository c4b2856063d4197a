using Microsoft.Extensions.Configuration;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Reads secrets from configuration: an environment variable or setting of that exact name
/// (<c>OPENAI_API_KEY</c>), or one under <c>Synaxis:Secrets</c>. For local runs and tests.
/// </summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        var value = configuration[name];
        if (string.IsNullOrEmpty(value))
        {
            value = configuration[$"Synaxis:Secrets:{name}"];
        }

        return ValueTask.FromResult(string.IsNullOrEmpty(value) ? null : value);
    }

    /// <summary>Configuration is read live (reloadable providers update it in place), so a refresh is a read.</summary>
    public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken) => GetSecretAsync(name, cancellationToken);
}
