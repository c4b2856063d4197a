namespace Synaxis.Gateway.Routing;

/// <summary>A public model of the catalog: the names clients use and the deployments that can serve it.</summary>
public sealed class CatalogModel
{
    /// <summary>The public name, listed in <c>/v1/models</c>.</summary>
    public required string Name { get; init; }

    /// <summary>More public names that resolve to this model but are not listed.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required string OwnedBy { get; init; }

    /// <summary>At least one; in configuration order.</summary>
    public required IReadOnlyList<ModelDeployment> Deployments { get; init; }
}
