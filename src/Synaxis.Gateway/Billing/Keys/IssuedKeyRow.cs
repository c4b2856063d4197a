using Azure.Data.Tables;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// An <see cref="IssuedKey"/> as a row of the keys table: partition key = key id, row key empty. Budgets are decimals
/// stored as invariant strings (tables have no decimal type); the allowed models are one comma-separated string.
/// </summary>
public static class IssuedKeyRow
{
    public static TableEntity ToEntity(IssuedKey key) => new(key.Id, string.Empty)
    {
        [nameof(IssuedKey.Owner)] = key.Owner,
        [nameof(IssuedKey.Name)] = key.Name,
        [nameof(IssuedKey.Prefix)] = key.Prefix,
        [nameof(IssuedKey.Hash)] = Convert.ToBase64String(key.Hash),
        [nameof(IssuedKey.AllowedModels)] = string.Join(',', key.AllowedModels),
        [nameof(IssuedKey.RequestsPerMinute)] = key.RequestsPerMinute,
        [nameof(IssuedKey.TokensPerMinute)] = key.TokensPerMinute,
        [nameof(IssuedKey.Prepaid)] = key.Prepaid,
        [nameof(IssuedKey.MonthlyBudget)] = key.MonthlyBudget?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(IssuedKey.ExpiresAt)] = key.ExpiresAt,
        [nameof(IssuedKey.Revoked)] = key.Revoked,
        [nameof(IssuedKey.CreatedAt)] = key.CreatedAt,
    };

    public static IssuedKey FromEntity(TableEntity entity) => new()
    {
        Id = entity.PartitionKey,
        Owner = entity.GetString(nameof(IssuedKey.Owner)) ?? string.Empty,
        Name = entity.GetString(nameof(IssuedKey.Name)),
        Prefix = entity.GetString(nameof(IssuedKey.Prefix)) ?? string.Empty,
        Hash = Convert.FromBase64String(entity.GetString(nameof(IssuedKey.Hash)) ?? string.Empty),
        AllowedModels = (entity.GetString(nameof(IssuedKey.AllowedModels)) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries),
        RequestsPerMinute = entity.GetInt32(nameof(IssuedKey.RequestsPerMinute)),
        TokensPerMinute = entity.GetInt32(nameof(IssuedKey.TokensPerMinute)),
        Prepaid = entity.GetBoolean(nameof(IssuedKey.Prepaid)) ?? false,
        MonthlyBudget = decimal.TryParse(entity.GetString(nameof(IssuedKey.MonthlyBudget)), System.Globalization.NumberStyles.Number,
            System.Globalization.CultureInfo.InvariantCulture, out var budget) ? budget : null,
        ExpiresAt = entity.GetDateTimeOffset(nameof(IssuedKey.ExpiresAt)),
        Revoked = entity.GetBoolean(nameof(IssuedKey.Revoked)) ?? false,
        CreatedAt = entity.GetDateTimeOffset(nameof(IssuedKey.CreatedAt)) ?? entity.Timestamp ?? DateTimeOffset.MinValue,
    };
}
