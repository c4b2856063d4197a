namespace Synaxis.Gateway.Routing;

/// <summary>
/// One entry of the model catalog as configured under <c>Synaxis:Models</c> (an array, so that app
/// settings can set it as <c>Synaxis__Models__0__Name</c> on hosts that forbid dots and dashes in names).
/// Without <see cref="Deployments"/> the inline deployment fields describe the model's one deployment;
/// with them, the inline fields are defaults that each deployment entry may override.
/// </summary>
public sealed class ModelOptions : DeploymentOptions
{
    /// <summary>Other public names for the same model.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Shown as <c>owned_by</c> in <c>/v1/models</c>.</summary>
    public string? OwnedBy { get; set; }

    /// <summary>Where calls for this model may go, chosen by priority, weight and health.</summary>
    public List<DeploymentOptions> Deployments { get; set; } = [];
}
