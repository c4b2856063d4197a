using System.Globalization;
using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http.Admin;

/// <summary>
/// Reads and checks the JSON of <c>POST /admin/keys</c>, <c>PATCH /admin/keys/{id}</c> and <c>POST …/credit</c>,
/// answering a wrong field with a 400 that names it. Unknown fields are refused rather than ignored, so a misspelt
/// limit is never silently left off a key.
/// </summary>
public sealed class KeyFieldsReader(ModelCatalog catalog, TimeProvider time)
{
    /// <summary>The largest amount of money one request may set or add: larger is taken for a typo.</summary>
    public const decimal MaxAmount = 1_000_000m;

    private const int MaxTextLength = 200;

    public (KeyFields? Fields, ApiError? Error) ReadCreate(JsonElement body)
    {
        var (fields, error) = Read(body, creating: true);
        if (error is null && string.IsNullOrWhiteSpace(fields!.Owner))
        {
            error = ApiError.MissingParameter("owner");
        }

        return error is null ? (fields, null) : (null, error);
    }

    public (KeyFields? Fields, ApiError? Error) ReadUpdate(JsonElement body) => Read(body, creating: false);

    /// <summary>The <c>amount</c> of a top-up.</summary>
    public static (decimal Amount, ApiError? Error) ReadCredit(JsonElement body)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name != "amount")
            {
                return (0, Unknown(property.Name));
            }
        }

        if (!body.TryGetProperty("amount", out var amount) || amount.ValueKind == JsonValueKind.Null)
        {
            return (0, ApiError.MissingParameter("amount"));
        }

        var error = Amount(amount, "amount", out var value);
        return (value ?? 0, error);
    }

    private (KeyFields? Fields, ApiError? Error) Read(JsonElement body, bool creating)
    {
        var fields = new KeyFields();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            var error = property.Name switch
            {
                "owner" => Text(value, "owner", nullable: false, v => { fields.HasOwner = true; fields.Owner = v; }),
                "name" => Text(value, "name", nullable: true, v => { fields.HasName = true; fields.Name = v; }),
                "allowed_models" => Models(value, fields),
                "requests_per_minute" => Limit(value, "requests_per_minute", v => { fields.HasRequestsPerMinute = true; fields.RequestsPerMinute = v; }),
                "tokens_per_minute" => Limit(value, "tokens_per_minute", v => { fields.HasTokensPerMinute = true; fields.TokensPerMinute = v; }),
                "monthly_budget" => Budget(value, fields),
                "expires_at" => Expiry(value, fields),
                "credit" when creating => Credit(value, fields),
                _ => Unknown(property.Name),
            };
            if (error is not null)
            {
                return (null, error);
            }
        }

        return (fields, null);
    }

    private static ApiError Unknown(string name) =>
        ApiError.InvalidRequest($"Unrecognized request argument supplied: {Shorten(name)}", Shorten(name), "unknown_parameter");

    private static ApiError? Text(JsonElement value, string name, bool nullable, Action<string?> set)
    {
        if (value.ValueKind == JsonValueKind.Null && nullable)
        {
            set(null);
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return ApiError.InvalidType(name, "a string");
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0 || text.Length > MaxTextLength || text.Any(char.IsControl))
        {
            return ApiError.InvalidValue(name, $"'{name}' must be 1 to {MaxTextLength} characters without control characters.");
        }

        set(text);
        return null;
    }

    private ApiError? Models(JsonElement value, KeyFields fields)
    {
        fields.HasAllowedModels = true;
        if (value.ValueKind == JsonValueKind.Null)
        {
            fields.AllowedModels = [];
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ApiError.InvalidType("allowed_models", "an array of model names");
        }

        var models = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var param = $"allowed_models[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                return ApiError.InvalidType(param, "a string");
            }

            var name = item.GetString()!;
            if (!catalog.TryResolve(name, out var model))
            {
                return ApiError.InvalidValue(param, $"The model '{Shorten(name)}' is not in this gateway's catalog.");
            }

            if (!models.Contains(model.Name, StringComparer.OrdinalIgnoreCase))
            {
                models.Add(model.Name);
            }
        }

        fields.AllowedModels = models;
        return null;
    }

    private static ApiError? Limit(JsonElement value, string name, Action<int?> set)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            set(null);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var limit))
        {
            return ApiError.InvalidType(name, "an integer");
        }

        if (limit is < 1 or > int.MaxValue)
        {
            return ApiError.InvalidValue(name, $"'{name}' must be between 1 and {int.MaxValue}, or null for no limit.");
        }

        set((int)limit);
        return null;
    }

    private static ApiError? Budget(JsonElement value, KeyFields fields)
    {
        fields.HasMonthlyBudget = true;
        if (value.ValueKind == JsonValueKind.Null)
        {
            fields.MonthlyBudget = null;
            return null;
        }

        var error = Amount(value, "monthly_budget", out var amount);
        fields.MonthlyBudget = amount;
        return error;
    }

    private static ApiError? Credit(JsonElement value, KeyFields fields)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var error = Amount(value, "credit", out var amount);
        fields.Credit = amount;
        return error;
    }

    // Amounts are read as decimals straight from the JSON text: never through a double, which would round 0.1.
    private static ApiError? Amount(JsonElement value, string name, out decimal? amount)
    {
        amount = null;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return ApiError.InvalidType(name, "a number");
        }

        if (!value.TryGetDecimal(out var parsed) || parsed <= 0 || parsed > MaxAmount)
        {
            return ApiError.InvalidValue(name, $"'{name}' must be greater than 0 and at most {MaxAmount.ToString(CultureInfo.InvariantCulture)}.");
        }

        amount = parsed;
        return null;
    }

    private ApiError? Expiry(JsonElement value, KeyFields fields)
    {
        fields.HasExpiresAt = true;
        if (value.ValueKind == JsonValueKind.Null)
        {
            fields.ExpiresAt = null;
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return ApiError.InvalidType("expires_at", "an ISO 8601 date and time string");
        }

        if (!DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
        {
            return ApiError.InvalidValue("expires_at", "'expires_at' must be an ISO 8601 date and time, e.g. 2027-01-31T00:00:00Z.");
        }

        if (expires <= time.GetUtcNow())
        {
            return ApiError.InvalidValue("expires_at", "'expires_at' must be in the future.");
        }

        fields.ExpiresAt = expires.ToUniversalTime();
        return null;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
