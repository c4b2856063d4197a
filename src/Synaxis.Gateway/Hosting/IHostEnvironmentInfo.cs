namespace Synaxis.Gateway.Hosting;

/// <summary>Facts about where the gateway runs that change its defaults.</summary>
public interface IHostEnvironmentInfo
{
    /// <summary>True on Azure App Service / Functions, where an open gateway would be a public one.</summary>
    bool IsAzure { get; }
}

/// <summary>Reads the environment variables the Azure platform sets on every instance.</summary>
internal sealed class ProcessEnvironmentInfo : IHostEnvironmentInfo
{
    public bool IsAzure { get; } =
        (IsSet("WEBSITE_INSTANCE_ID") || IsSet("WEBSITE_SITE_NAME"))
        // Core Tools mark a local `func start` as Development; that is a developer's machine, not Azure.
        && !string.Equals(Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT"), "Development", StringComparison.OrdinalIgnoreCase);

    private static bool IsSet(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));
}
