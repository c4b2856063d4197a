namespace Synaxis.Gateway.Routing;

/// <summary>Checks a deployment's numbers: weight, prices, token limits and timeouts.</summary>
internal static class DeploymentLimitsValidator
{
    public static void Validate(List<string> failures, string where, string label, DeploymentOptions deployment)
    {
        if (deployment.Weight is < 1)
        {
            failures.Add($"{where}:Weight for '{label}' must be 1 or more (use Priority to keep a deployment as a fallback).");
        }

        foreach (var (field, price) in (ReadOnlySpan<(string, decimal?)>)[
            (nameof(deployment.InputPricePerMillion), deployment.InputPricePerMillion),
            (nameof(deployment.OutputPricePerMillion), deployment.OutputPricePerMillion),
            (nameof(deployment.CachedInputPricePerMillion), deployment.CachedInputPricePerMillion)])
        {
            if (price < 0)
            {
                failures.Add($"{where}:{field} for '{label}' must not be negative.");
            }
        }

        foreach (var (field, limit) in (ReadOnlySpan<(string, int?)>)[
            (nameof(deployment.MaxOutputTokens), deployment.MaxOutputTokens),
            (nameof(deployment.ContextWindow), deployment.ContextWindow)])
        {
            if (limit < 1)
            {
                failures.Add($"{where}:{field} for '{label}' must be at least 1.");
            }
        }

        foreach (var (field, timeout) in (ReadOnlySpan<(string, TimeSpan?)>)[
            (nameof(deployment.ConnectTimeout), deployment.ConnectTimeout),
            (nameof(deployment.FirstByteTimeout), deployment.FirstByteTimeout),
            (nameof(deployment.IdleTimeout), deployment.IdleTimeout),
            (nameof(deployment.TotalTimeout), deployment.TotalTimeout)])
        {
            if (timeout <= TimeSpan.Zero)
            {
                failures.Add($"{where}:{field} for '{label}' must be positive.");
            }
        }
    }
}
