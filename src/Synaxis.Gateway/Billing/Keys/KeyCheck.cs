namespace Synaxis.Gateway.Billing.Keys;

/// <summary>What checking a presented issued key found.</summary>
public enum KeyCheckStatus
{
    /// <summary>No key with this id, or the secret part does not match (the two are indistinguishable to the caller).</summary>
    Unknown,

    Valid,

    Revoked,

    Expired,
}

/// <summary>The outcome of <see cref="KeyDirectory.CheckAsync"/>: the key when it matched.</summary>
public readonly record struct KeyCheck(KeyCheckStatus Status, IssuedKey? Key)
{
    public static readonly KeyCheck Unknown = new(KeyCheckStatus.Unknown, null);
}
