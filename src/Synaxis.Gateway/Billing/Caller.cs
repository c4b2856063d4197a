using Synaxis.Gateway.Billing.Keys;

namespace Synaxis.Gateway.Billing;

/// <summary>
/// Who a request comes from, once its key is checked: an issued key (with its limits, metered and billed), a key from
/// configuration (the operator's own, unlimited but still metered under <see cref="ConfiguredKeyId"/>), or nobody on
/// a gateway open to anyone.
/// </summary>
public sealed record Caller(string KeyId, string? Owner, IssuedKey? Key)
{
    /// <summary>The ledger's key id for calls made with a key from <c>Synaxis:ApiKeys</c> or <c>Synaxis:ApiKeysSecret</c>.</summary>
    public const string ConfiguredKeyId = "configured";

    /// <summary>The ledger's key id for calls to a gateway that has no keys.</summary>
    public const string AnonymousKeyId = "anonymous";

    public static readonly Caller Configured = new(ConfiguredKeyId, null, null);

    public static readonly Caller Anonymous = new(AnonymousKeyId, null, null);

    /// <summary>True for an issued key: its limits, budget and credit apply.</summary>
    public bool IsIssued => Key is not null;
}
