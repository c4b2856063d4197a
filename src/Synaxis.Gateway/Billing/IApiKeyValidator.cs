namespace Synaxis.Gateway.Billing;

/// <summary>Decides whether a presented bearer key may call the gateway.</summary>
public interface IApiKeyValidator
{
    /// <summary>True when the gateway has no keys and lets anyone in.</summary>
    bool IsOpen { get; }

    /// <summary>True when <paramref name="key"/> is one of the gateway's keys; compared in constant time.</summary>
    bool IsValid(ReadOnlySpan<char> key);
}
