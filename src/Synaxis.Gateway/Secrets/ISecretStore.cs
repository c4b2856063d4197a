namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Where upstream keys come from. Callers ask by name at the moment they build an upstream request;
/// a value goes nowhere else (not into logs, errors or responses).
/// </summary>
public interface ISecretStore
{
    /// <summary>The secret's current value, or null when no such secret exists.</summary>
    ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken);
}
