namespace Synaxis.Infra.Tests.Bicep;

/// <summary>What one run of the Bicep CLI printed and how it exited.</summary>
internal sealed record BicepResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => (Stdout + Stderr).Trim();
}
