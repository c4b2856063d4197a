namespace Synaxis.Gateway.Routing;

/// <summary>
/// Chooses the deployment for the next attempt: among those that are available now (circuit not open,
/// not cooling down after a 429) and not excluded for this request, one not tried yet if there is
/// one; among those, the lowest <see cref="ModelDeployment.Priority"/>; among those, at random in
/// proportion to <see cref="ModelDeployment.Weight"/>.
/// </summary>
internal sealed class DeploymentSelector(DeploymentHealthBoard health, Random random)
{
    public ModelDeployment? Pick(RouteState state, DateTimeOffset now) =>
        PickFrom(state, now, untriedOnly: true) ?? PickFrom(state, now, untriedOnly: false);

    /// <summary>
    /// When the next attempt could start: zero when a deployment not tried yet is available now (moving
    /// on does not wait); null when only tried ones are available now (a retry, which backs off);
    /// otherwise the time until the first one becomes available. False when no deployment is left at all.
    /// </summary>
    public bool TryGetNextChance(RouteState state, DateTimeOffset now, out TimeSpan? wait, out bool rateLimited)
    {
        wait = null;
        rateLimited = false;
        var any = false;
        var soonest = TimeSpan.MaxValue;
        var retryNow = false;
        foreach (var deployment in state.Model.Deployments)
        {
            if (state.Excluded.Contains(deployment.Name))
            {
                continue;
            }

            any = true;
            var until = health[deployment].TimeUntilAvailable(now, out var limited);
            if (until == TimeSpan.Zero)
            {
                if (!state.Tried.Contains(deployment.Name))
                {
                    wait = TimeSpan.Zero;
                    return true;
                }

                retryNow = true;
            }
            else if (until < soonest)
            {
                soonest = until;
                rateLimited = limited;
            }
        }

        if (retryNow)
        {
            rateLimited = false;
        }
        else if (any)
        {
            wait = soonest;
        }

        return any;
    }

    private ModelDeployment? PickFrom(RouteState state, DateTimeOffset now, bool untriedOnly)
    {
        // Eligibility is read once: health may change under our feet, the draw must not.
        List<ModelDeployment>? group = null;
        var totalWeight = 0;
        foreach (var deployment in state.Model.Deployments)
        {
            if (!state.IsCandidate(deployment)
                || (untriedOnly && state.Tried.Contains(deployment.Name))
                || health[deployment].TimeUntilAvailable(now, out _) != TimeSpan.Zero)
            {
                continue;
            }

            if (group is null || deployment.Priority < group[0].Priority)
            {
                group = [deployment];
                totalWeight = deployment.Weight;
            }
            else if (deployment.Priority == group[0].Priority)
            {
                group.Add(deployment);
                totalWeight += deployment.Weight;
            }
        }

        if (group is null)
        {
            return null;
        }

        var ticket = random.Next(totalWeight);
        foreach (var deployment in group)
        {
            ticket -= deployment.Weight;
            if (ticket < 0)
            {
                return deployment;
            }
        }

        return group[^1];
    }
}
