using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Keys;

namespace Synaxis.Gateway.Http.Admin;

/// <summary>
/// Writes the admin API's views of keys and balances. A view never holds the key's hash, let alone the key: the key
/// text is written only by <see cref="Created"/>, once.
/// </summary>
internal static class KeyJson
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Created(IssuedKey key, string text, KeyBalance? balance, DateTimeOffset now) => Write(writer =>
    {
        writer.WriteStartObject();
        WriteFields(writer, key, now);
        writer.WriteString("key", text);
        if (balance is not null)
        {
            writer.WritePropertyName("balance");
            WriteBalance(writer, balance, key, now);
        }

        writer.WriteEndObject();
    });

    public static byte[] View(IssuedKey key, KeyBalance? balance, DateTimeOffset now) => Write(writer =>
    {
        writer.WriteStartObject();
        WriteFields(writer, key, now);
        if (balance is not null)
        {
            writer.WritePropertyName("balance");
            WriteBalance(writer, balance, key, now);
        }

        writer.WriteEndObject();
    });

    public static byte[] List(IEnumerable<IssuedKey> keys, DateTimeOffset now) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var key in keys)
        {
            writer.WriteStartObject();
            WriteFields(writer, key, now);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static byte[] Balance(KeyBalance balance, IssuedKey key, DateTimeOffset now) => Write(writer => WriteBalance(writer, balance, key, now));

    /// <summary>What a caller or operator sees of a balance: credit left, what was spent, this month against its budget.</summary>
    public static void WriteBalance(Utf8JsonWriter writer, KeyBalance balance, IssuedKey? key, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "balance");
        writer.WriteString("key_id", balance.KeyId);
        writer.WriteNumber("credit_remaining", Normalize(balance.Remaining));
        writer.WriteNumber("credit", Normalize(balance.Credit));
        writer.WriteNumber("spent", Normalize(balance.Spent));
        WriteMonth(writer, balance, key, now);
        writer.WriteEndObject();
    }

    /// <summary><c>month_spent</c> and <c>monthly_budget</c> (null without one), as both the balance and the usage report give them.</summary>
    public static void WriteMonth(Utf8JsonWriter writer, KeyBalance balance, IssuedKey? key, DateTimeOffset now)
    {
        writer.WriteNumber("month_spent", Normalize(MonthSpent(balance, now)));
        if (key?.MonthlyBudget is { } budget)
        {
            writer.WriteNumber("monthly_budget", Normalize(budget));
        }
        else
        {
            writer.WriteNull("monthly_budget");
        }
    }

    /// <summary>The spending of the current month: a row last written in an earlier month has spent nothing in this one.</summary>
    private static decimal MonthSpent(KeyBalance balance, DateTimeOffset now) =>
        string.Equals(balance.Month, KeyBalance.MonthOf(now), StringComparison.Ordinal) ? balance.MonthSpent : 0m;

    /// <summary>Drops trailing zeros, so 4.50 is written 4.5 as OpenAI and every JSON reader would.</summary>
    public static decimal Normalize(decimal amount) => amount / 1.000000000000000000000000000000000m;

    public static string Status(IssuedKey key, DateTimeOffset now) => key.Revoked ? "revoked" : key.IsActive(now) ? "active" : "expired";

    private static void WriteFields(Utf8JsonWriter writer, IssuedKey key, DateTimeOffset now)
    {
        writer.WriteString("object", "api_key");
        writer.WriteString("id", key.Id);
        writer.WriteString("prefix", key.Prefix);
        writer.WriteString("owner", key.Owner);
        WriteNullable(writer, "name", key.Name);
        writer.WriteString("status", Status(key, now));
        writer.WriteStartArray("allowed_models");
        foreach (var model in key.AllowedModels)
        {
            writer.WriteStringValue(model);
        }

        writer.WriteEndArray();
        WriteNullable(writer, "requests_per_minute", key.RequestsPerMinute);
        WriteNullable(writer, "tokens_per_minute", key.TokensPerMinute);
        writer.WriteBoolean("prepaid", key.Prepaid);
        if (key.MonthlyBudget is { } budget)
        {
            writer.WriteNumber("monthly_budget", Normalize(budget));
        }
        else
        {
            writer.WriteNull("monthly_budget");
        }

        WriteNullable(writer, "expires_at", key.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteBoolean("revoked", key.Revoked);
        writer.WriteString("created_at", key.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
