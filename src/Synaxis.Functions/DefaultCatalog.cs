using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Synaxis.Functions;

/// <summary>
/// The model catalog shipped in the app's package (<c>models.json</c>), loaded as configuration beneath
/// environment variables, so that app settings (<c>Synaxis__Models__0__…</c>) and <c>local.settings.json</c> override it.
/// </summary>
public static class DefaultCatalog
{
    public const string FileName = "models.json";

    /// <summary>Adds <c>models.json</c> from <paramref name="directory"/> just before the first environment variable source.</summary>
    public static IConfigurationManager AddDefaultCatalog(this IConfigurationManager configuration, string directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var source = new JsonConfigurationSource
        {
            Path = FileName,
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(directory),
        };

        var sources = configuration.Sources;
        var index = 0;
        while (index < sources.Count && sources[index] is not EnvironmentVariablesConfigurationSource)
        {
            index++;
        }

        sources.Insert(index, source);
        return configuration;
    }
}
