namespace Synaxis.Bench;

/// <summary>What one scenario measured: both targets' rounds, and the gateway's peak memory once it was over.</summary>
internal sealed record ScenarioResult(Scenario Scenario, TargetResults Direct, TargetResults Gateway, long GatewayPeakRss);
