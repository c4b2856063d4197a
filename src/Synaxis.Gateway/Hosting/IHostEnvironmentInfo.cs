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
    public bool IsAzure { get; } = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID"));
}
