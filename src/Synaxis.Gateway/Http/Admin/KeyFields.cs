namespace Synaxis.Gateway.Http.Admin;

/// <summary>
/// The fields of a create or update request, validated. For an update, a field is changed only when present
/// (<c>Has…</c>); an explicit null clears a limit.
/// </summary>
public sealed class KeyFields
{
    public bool HasOwner { get; set; }

    public string? Owner { get; set; }

    public bool HasName { get; set; }

    public string? Name { get; set; }

    public bool HasAllowedModels { get; set; }

    /// <summary>Canonical public names (aliases resolved); empty for every model.</summary>
    public IReadOnlyList<string> AllowedModels { get; set; } = [];

    public bool HasRequestsPerMinute { get; set; }

    public int? RequestsPerMinute { get; set; }

    public bool HasTokensPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public bool HasMonthlyBudget { get; set; }

    public decimal? MonthlyBudget { get; set; }

    public bool HasExpiresAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Prepaid credit to add at creation; creation only.</summary>
    public decimal? Credit { get; set; }
}
