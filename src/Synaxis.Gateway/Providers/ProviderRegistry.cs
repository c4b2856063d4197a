namespace Synaxis.Gateway.Providers;

/// <summary>Finds the provider a catalog entry names.</summary>
public sealed class ProviderRegistry(IEnumerable<IChatProvider> providers)
{
    private readonly Dictionary<string, IChatProvider> _byName = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IChatProvider Get(string name) => _byName.TryGetValue(name, out var provider)
        ? provider
        : throw new InvalidOperationException($"No provider named '{name}' is registered.");
}
