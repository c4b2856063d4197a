using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// Maps public model names (and their aliases) to deployments. Built once from configuration;
/// <see cref="GatewayOptionsValidator"/> has already refused a catalog that cannot work.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelDeployment> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ModelCatalog(IOptions<GatewayOptions> options)
    {
        var gateway = options.Value;
        var models = new List<ModelDeployment>();
        foreach (var model in gateway.Models)
        {
            var deployment = new ModelDeployment
            {
                Name = model.Name!,
                Provider = model.Provider!.ToLowerInvariant(),
                UpstreamModel = string.IsNullOrWhiteSpace(model.UpstreamModel) ? model.Name! : model.UpstreamModel,
                BaseUrl = string.IsNullOrWhiteSpace(model.BaseUrl) ? null : new Uri(model.BaseUrl.TrimEnd('/') + "/"),
                ApiKeySecret = string.IsNullOrWhiteSpace(model.ApiKeySecret) ? null : model.ApiKeySecret,
                ApiVersion = string.IsNullOrWhiteSpace(model.ApiVersion) ? null : model.ApiVersion,
                MaxOutputTokens = model.MaxOutputTokens,
                OwnedBy = model.OwnedBy ?? "synaxis",
                Headers = new Dictionary<string, string>(model.Headers, StringComparer.OrdinalIgnoreCase),
                FirstByteTimeout = model.FirstByteTimeout ?? gateway.FirstByteTimeout,
                IdleTimeout = model.IdleTimeout ?? gateway.IdleTimeout,
            };
            models.Add(deployment);
            _byName[deployment.Name] = deployment;
            foreach (var alias in model.Aliases)
            {
                _byName[alias] = deployment;
            }
        }

        Models = models;
    }

    /// <summary>The catalog's public models in configuration order, without aliases.</summary>
    public IReadOnlyList<ModelDeployment> Models { get; }

    public bool TryResolve(string name, out ModelDeployment deployment) => _byName.TryGetValue(name, out deployment!);
}
