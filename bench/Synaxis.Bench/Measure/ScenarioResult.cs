using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench.Measure;

/// <summary>What one scenario measured: every target's rounds, direct first.</summary>
internal sealed record ScenarioResult(Scenario Scenario, IReadOnlyList<TargetResults> Targets)
{
    public TargetResults Direct => Targets[0];

    public TargetResults? Find(string target) => Targets.FirstOrDefault(t => t.Target.Name == target);
}
