using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// Maps public model names (and their aliases) to the deployments that can serve them. Built once from
/// configuration; <see cref="GatewayOptionsValidator"/> has already refused a catalog that cannot work.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, CatalogModel> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ModelCatalog(IOptions<GatewayOptions> options)
    {
        var gateway = options.Value;
        var models = new List<CatalogModel>();
        foreach (var entry in gateway.Models)
        {
            // A model without a Deployments array is its own single deployment, named like the model.
            var deployments = entry.Deployments.Count == 0
                ? [Resolve(gateway, entry, new DeploymentOptions { Name = entry.Name })]
                : entry.Deployments.Select(d => Resolve(gateway, entry, d)).ToList();
            var model = new CatalogModel
            {
                Name = entry.Name!,
                Aliases = [.. entry.Aliases],
                OwnedBy = entry.OwnedBy ?? "synaxis",
                Deployments = deployments,
            };
            models.Add(model);
            _byName[model.Name] = model;
            foreach (var alias in entry.Aliases)
            {
                _byName[alias] = model;
            }
        }

        Models = models;
        Deployments = [.. models.SelectMany(m => m.Deployments)];
    }

    /// <summary>The catalog's public models in configuration order, without aliases.</summary>
    public IReadOnlyList<CatalogModel> Models { get; }

    /// <summary>Every deployment of every model.</summary>
    public IReadOnlyList<ModelDeployment> Deployments { get; }

    public bool TryResolve(string name, out CatalogModel model) => _byName.TryGetValue(name, out model!);

    /// <summary>A deployment entry's fields, else the model's inline ones, else the gateway's defaults.</summary>
    private static ModelDeployment Resolve(GatewayOptions gateway, ModelOptions model, DeploymentOptions entry)
    {
        var baseUrl = Pick(entry.BaseUrl, model.BaseUrl);
        var headers = new Dictionary<string, string>(model.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in entry.Headers)
        {
            headers[name] = value;
        }

        return new ModelDeployment
        {
            Name = entry.Name!,
            Provider = (entry.Provider ?? model.Provider)!.ToLowerInvariant(),
            UpstreamModel = Pick(entry.UpstreamModel, model.UpstreamModel) ?? model.Name!,
            BaseUrl = baseUrl is null ? null : new Uri(baseUrl.TrimEnd('/') + "/"),
            // null inherits; a blank value says "keyless" even when the model names a secret.
            ApiKeySecret = NullIfBlank(entry.ApiKeySecret ?? model.ApiKeySecret),
            ApiVersion = Pick(entry.ApiVersion, model.ApiVersion),
            OwnedBy = model.OwnedBy ?? "synaxis",
            Headers = headers,
            Weight = entry.Weight ?? model.Weight ?? 1,
            Priority = entry.Priority ?? model.Priority ?? 1,
            InputPricePerMillion = entry.InputPricePerMillion ?? model.InputPricePerMillion,
            OutputPricePerMillion = entry.OutputPricePerMillion ?? model.OutputPricePerMillion,
            CachedInputPricePerMillion = entry.CachedInputPricePerMillion ?? model.CachedInputPricePerMillion,
            MaxOutputTokens = entry.MaxOutputTokens ?? model.MaxOutputTokens,
            ContextWindow = entry.ContextWindow ?? model.ContextWindow,
            ConnectTimeout = entry.ConnectTimeout ?? model.ConnectTimeout ?? gateway.ConnectTimeout,
            FirstByteTimeout = entry.FirstByteTimeout ?? model.FirstByteTimeout ?? gateway.FirstByteTimeout,
            IdleTimeout = entry.IdleTimeout ?? model.IdleTimeout ?? gateway.IdleTimeout,
            TotalTimeout = entry.TotalTimeout ?? model.TotalTimeout ?? gateway.TotalTimeout,
        };
    }

    private static string? Pick(string? own, string? inherited) => NullIfBlank(own) ?? NullIfBlank(inherited);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
