namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Where upstream keys come from. Callers ask by name at the moment they build an upstream request;
/// a value goes nowhere else (not into logs, errors or responses).
/// </summary>
public interface ISecretStore
{
    /// <summary>The secret's current value, or null when no such secret exists.</summary>
    ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the secret again from its source, because an upstream refused the value in hand (a rotated
    /// key). Concurrent refreshes of one secret share one read. Returns the new value, or null when the
    /// secret no longer exists.
    /// </summary>
    ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken);
}
