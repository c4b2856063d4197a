using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>
/// What calls cost, from the catalog's prices per million tokens, in <see cref="decimal"/> so that sums of many small
/// costs stay exact. A deployment without prices costs nothing.
/// </summary>
public static class Pricing
{
    private const decimal Million = 1_000_000m;

    /// <summary>The cost of a call served by <paramref name="deployment"/>; cached tokens are part of the prompt tokens.</summary>
    public static decimal Cost(ModelDeployment deployment, int promptTokens, int cachedTokens, int completionTokens)
    {
        var cached = Math.Clamp(cachedTokens, 0, Math.Max(promptTokens, 0));
        var input = deployment.InputPricePerMillion ?? 0m;
        var cachedInput = deployment.CachedInputPricePerMillion ?? input;
        var output = deployment.OutputPricePerMillion ?? 0m;
        return ((Math.Max(promptTokens, 0) - cached) * input + cached * cachedInput + Math.Max(completionTokens, 0) * output) / Million;
    }

    /// <summary>The cost of a call from its reported (or estimated) usage.</summary>
    public static decimal Cost(ModelDeployment deployment, Usage usage) =>
        Cost(deployment, usage.PromptTokens, usage.PromptTokensDetails?.CachedTokens ?? 0, usage.CompletionTokens);

    /// <summary>
    /// The most a call can cost on any of the model's deployments: every prompt token at the full input price and
    /// every allowed completion token at the output price. This is what a budget reserves before the call.
    /// </summary>
    public static decimal MaxCost(CatalogModel model, int promptTokens, int maxCompletionTokens) =>
        model.Deployments.Max(d => Cost(d, promptTokens, 0, maxCompletionTokens));
}
