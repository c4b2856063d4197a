using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Routing;

/// <summary>Which deployment takes the next attempt: available ones, untried first, lowest priority, by weight.</summary>
public sealed class DeploymentSelectorTests
{
    private readonly FakeTimeProvider _time = new();

    private (DeploymentSelector Selector, DeploymentHealthBoard Health, CatalogModel Model) Build(params DeploymentOptions[] deployments)
    {
        var options = Options.Create(new GatewayOptions { Models = [new ModelOptions { Name = "gpt-4", Provider = "mock", Deployments = [.. deployments] }] });
        var catalog = new ModelCatalog(options);
        var health = new DeploymentHealthBoard(catalog, options, _time, NullLogger<DeploymentHealthBoard>.Instance);
        return (new DeploymentSelector(health, new Random(42)), health, catalog.Models[0]);
    }

    private static DeploymentOptions Deployment(string name, int? priority = null, int? weight = null) => new() { Name = name, Priority = priority, Weight = weight };

    [Fact]
    public void Weights_SplitTheTraffic_InProportion()
    {
        var (selector, _, model) = Build(Deployment("east", weight: 3), Deployment("west"));

        var picks = Enumerable.Range(0, 10_000).Select(_ => selector.Pick(new RouteState(model, "r", long.MaxValue), _time.GetUtcNow())!.Name).ToList();

        Assert.InRange(picks.Count(p => p == "east") / 10_000.0, 0.73, 0.77);
    }

    [Fact]
    public void LowerPriority_TakesAllTheTraffic_WhileItIsAvailable()
    {
        var (selector, health, model) = Build(Deployment("openai", priority: 2, weight: 100), Deployment("east"), Deployment("west"));

        var picks = Enumerable.Range(0, 200).Select(_ => selector.Pick(new RouteState(model, "r", long.MaxValue), _time.GetUtcNow())!.Name).ToHashSet();
        Assert.Equal(["east", "west"], picks.Order());

        health[model.Deployments[1]].CoolDown(_time.GetUtcNow().AddSeconds(10));
        health[model.Deployments[2]].CoolDown(_time.GetUtcNow().AddSeconds(10));
        Assert.Equal("openai", selector.Pick(new RouteState(model, "r", long.MaxValue), _time.GetUtcNow())!.Name);
    }

    [Fact]
    public void UntriedDeployments_ComeFirst_ThenTriedOnesAgain_ButNeverExcludedOnes()
    {
        var (selector, _, model) = Build(Deployment("a"), Deployment("b", priority: 2), Deployment("c", priority: 3));
        var state = new RouteState(model, "r", long.MaxValue);
        state.Tried.Add("a");
        Assert.Equal("b", selector.Pick(state, _time.GetUtcNow())!.Name);

        state.Tried.Add("b");
        state.Tried.Add("c");
        Assert.Equal("a", selector.Pick(state, _time.GetUtcNow())!.Name);

        state.Excluded.Add("a");
        Assert.Equal("b", selector.Pick(state, _time.GetUtcNow())!.Name);
    }

    [Fact]
    public void CoolingDeployment_IsLeftOut_UntilItsTimeHasPassed()
    {
        var (selector, health, model) = Build(Deployment("a"));
        health[model.Deployments[0]].CoolDown(_time.GetUtcNow().AddSeconds(3));

        Assert.Null(selector.Pick(new RouteState(model, "r", long.MaxValue), _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("a", selector.Pick(new RouteState(model, "r", long.MaxValue), _time.GetUtcNow())!.Name);
    }

    [Fact]
    public void NextChance_IsImmediate_ForAnUntriedDeployment()
    {
        var (selector, _, model) = Build(Deployment("a"), Deployment("b"));
        var state = new RouteState(model, "r", long.MaxValue);
        state.Tried.Add("a");

        Assert.True(selector.TryGetNextChance(state, _time.GetUtcNow(), out var wait, out _));
        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public void NextChance_IsABackoff_WhenOnlyTriedDeploymentsAreLeft()
    {
        var (selector, _, model) = Build(Deployment("a"));
        var state = new RouteState(model, "r", long.MaxValue);
        state.Tried.Add("a");

        Assert.True(selector.TryGetNextChance(state, _time.GetUtcNow(), out var wait, out _));
        Assert.Null(wait);
    }

    [Fact]
    public void NextChance_IsTheSoonestEndOfACooldown_AndSaysItIsARateLimit()
    {
        var (selector, health, model) = Build(Deployment("a"), Deployment("b"));
        health[model.Deployments[0]].CoolDown(_time.GetUtcNow().AddSeconds(8));
        health[model.Deployments[1]].CoolDown(_time.GetUtcNow().AddSeconds(3));

        Assert.True(selector.TryGetNextChance(new RouteState(model, "r", long.MaxValue), _time.GetUtcNow(), out var wait, out var rateLimited));
        Assert.Equal(TimeSpan.FromSeconds(3), wait);
        Assert.True(rateLimited);
    }

    [Fact]
    public void NextChance_DoesNotExist_WhenEveryDeploymentIsExcluded()
    {
        var (selector, _, model) = Build(Deployment("a"));
        var state = new RouteState(model, "r", long.MaxValue);
        state.Excluded.Add("a");

        Assert.False(selector.TryGetNextChance(state, _time.GetUtcNow(), out _, out _));
        Assert.Null(selector.Pick(state, _time.GetUtcNow()));
    }
}
