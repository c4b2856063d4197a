using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.Reports;
using Synaxis.Gateway.Http.Admin;

namespace Synaxis.Gateway.Http.Reports;

/// <summary>Writes usage reports as JSON: costs are JSON numbers written straight from decimals.</summary>
internal static class UsageJson
{
    public const string Currency = "USD";

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The calling key's usage (<c>GET /v1/usage</c>), with its balance when it is an issued key.</summary>
    public static byte[] Report(string keyId, UsageQuery query, UsageReport report, KeyBalance? balance, IssuedKey? key, DateTimeOffset now) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("object", "usage");
        writer.WriteString("key_id", keyId);
        WriteRange(writer, query);
        writer.WritePropertyName("totals");
        WriteTotals(writer, report.Totals, failures: true);
        writer.WriteStartArray("days");
        foreach (var (day, totals) in report.Days)
        {
            writer.WriteStartObject();
            writer.WriteString("date", UsageQuery.Format(day));
            WriteFields(writer, totals, failures: false);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("models");
        foreach (var (model, totals) in report.Models)
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            WriteFields(writer, totals, failures: false);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (balance is not null)
        {
            writer.WriteStartObject("balance");
            writer.WriteNumber("credit_remaining", KeyJson.Normalize(balance.Remaining));
            KeyJson.WriteMonth(writer, balance, key, now);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    });

    /// <summary>Usage across keys (<c>GET /admin/usage</c>): totals, and totals per key.</summary>
    public static byte[] PerKey(UsageQuery query, IReadOnlyList<(string KeyId, string? Owner, UsageTotals Totals)> keys) => Write(writer =>
    {
        var all = keys.Select(k => k.Totals).ToList();
        writer.WriteStartObject();
        writer.WriteString("object", "usage");
        WriteRange(writer, query);
        writer.WriteStartObject("totals");
        writer.WriteNumber("requests", all.Sum(t => t.Requests));
        writer.WriteNumber("failed_requests", all.Sum(t => t.FailedRequests));
        writer.WriteNumber("aborted_requests", all.Sum(t => t.AbortedRequests));
        writer.WriteNumber("prompt_tokens", all.Sum(t => t.PromptTokens));
        writer.WriteNumber("completion_tokens", all.Sum(t => t.CompletionTokens));
        writer.WriteNumber("cached_tokens", all.Sum(t => t.CachedTokens));
        writer.WriteNumber("cost", KeyJson.Normalize(all.Sum(t => t.Cost)));
        writer.WriteEndObject();
        writer.WriteStartArray("keys");
        foreach (var (keyId, owner, totals) in keys)
        {
            writer.WriteStartObject();
            writer.WriteString("key_id", keyId);
            if (owner is null)
            {
                writer.WriteNull("owner");
            }
            else
            {
                writer.WriteString("owner", owner);
            }

            WriteFields(writer, totals, failures: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteRange(Utf8JsonWriter writer, UsageQuery query)
    {
        writer.WriteString("start", UsageQuery.Format(query.Start));
        writer.WriteString("end", UsageQuery.Format(query.End));
        writer.WriteString("currency", Currency);
    }

    private static void WriteTotals(Utf8JsonWriter writer, UsageTotals totals, bool failures)
    {
        writer.WriteStartObject();
        WriteFields(writer, totals, failures);
        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, UsageTotals totals, bool failures)
    {
        writer.WriteNumber("requests", totals.Requests);
        if (failures)
        {
            writer.WriteNumber("failed_requests", totals.FailedRequests);
            writer.WriteNumber("aborted_requests", totals.AbortedRequests);
        }

        writer.WriteNumber("prompt_tokens", totals.PromptTokens);
        writer.WriteNumber("completion_tokens", totals.CompletionTokens);
        writer.WriteNumber("cached_tokens", totals.CachedTokens);
        writer.WriteNumber("cost", KeyJson.Normalize(totals.Cost));
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
