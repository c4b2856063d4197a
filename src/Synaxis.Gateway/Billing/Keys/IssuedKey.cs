namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// A key the gateway issued (<c>sk-syn-…</c>), as stored: never the key itself, only its SHA-256 hash and a short
/// prefix to recognise it by. Limits left null do not apply. Credit is not here: the prepaid balance changes with every
/// call and lives in the counters table, where top-ups and spending share one optimistic-concurrency counter.
/// </summary>
public sealed record IssuedKey
{
    /// <summary>The public id (<c>key_…</c>), also the partition key of everything stored about the key.</summary>
    public required string Id { get; init; }

    /// <summary>Who the key belongs to (a customer or team name); free text chosen by the operator.</summary>
    public required string Owner { get; init; }

    /// <summary>An optional label, e.g. "production" or "ci".</summary>
    public string? Name { get; init; }

    /// <summary>The first characters of the key, safe to show (e.g. <c>sk-syn-AbCd1234…</c>).</summary>
    public required string Prefix { get; init; }

    /// <summary>SHA-256 of the whole key; a presented key is hashed and compared in constant time.</summary>
    public required byte[] Hash { get; init; }

    /// <summary>Public model names (or aliases) the key may call; empty means every model in the catalog.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>Requests per minute, counted when a call is admitted (failed calls count too).</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Prompt plus completion tokens per minute.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>True when calls draw on prepaid credit (the key's balance); such a key without credit gets 402.</summary>
    public bool Prepaid { get; init; }

    /// <summary>Most the key may spend in one calendar month (UTC), in the catalog's currency; null for no monthly cap.</summary>
    public decimal? MonthlyBudget { get; init; }

    /// <summary>After this instant the key is refused.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A revoked key is refused for good.</summary>
    public bool Revoked { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The key may be used at <paramref name="now"/>: not revoked, not expired.</summary>
    public bool IsActive(DateTimeOffset now) => !Revoked && (ExpiresAt is null || now < ExpiresAt);

    /// <summary>The key may call <paramref name="model"/> (a public name, as resolved by the catalog).</summary>
    public bool Allows(string model) => AllowedModels.Count == 0 || AllowedModels.Contains(model, StringComparer.OrdinalIgnoreCase);
}
