using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Billing.Ledger;

namespace Synaxis.Gateway.Http.Reports;

/// <summary>Writes usage records as CSV (RFC 4180), one row per call, streamed as they are read.</summary>
internal sealed class UsageCsv : IAsyncDisposable
{
    public const string Columns = "request_id,started_at,model,deployment,state,status,streamed,aborted,prompt_tokens,completion_tokens,cached_tokens,cost,ttft_ms,duration_ms";

    private readonly StreamWriter _writer;
    private readonly bool _withKey;

    private UsageCsv(HttpResponse response, bool withKey)
    {
        response.ContentType = "text/csv; charset=utf-8";
        _writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        _withKey = withKey;
    }

    /// <summary>Starts the CSV with its header; <paramref name="withKey"/> adds a leading <c>key_id</c> column (across keys).</summary>
    public static async Task<UsageCsv> StartAsync(HttpResponse response, bool withKey)
    {
        var csv = new UsageCsv(response, withKey);
        await csv._writer.WriteAsync(withKey ? "key_id," + Columns + "\n" : Columns + "\n").ConfigureAwait(false);
        return csv;
    }

    public Task WriteAsync(UsageRecord record)
    {
        var line = new StringBuilder(200);
        if (_withKey)
        {
            Field(line, record.KeyId).Append(',');
        }

        Field(line, record.RequestId).Append(',')
            .Append(record.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append(',');
        Field(line, record.Model).Append(',');
        Field(line, record.Deployment ?? string.Empty).Append(',')
            .Append(record.State.ToString().ToLowerInvariant()).Append(',')
            .Append(record.Status.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(record.Streamed ? "true" : "false").Append(',')
            .Append(record.Aborted ? "true" : "false").Append(',')
            .Append(record.PromptTokens.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(record.CompletionTokens.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(record.CachedTokens.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(Admin.KeyJson.Normalize(record.Cost).ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(Milliseconds(record.TimeToFirstTokenMs)).Append(',')
            .Append(Milliseconds(record.DurationMs)).Append('\n');
        return _writer.WriteAsync(line.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    private static string Milliseconds(double? value) => value is { } ms ? Math.Round(ms, 1).ToString(CultureInfo.InvariantCulture) : string.Empty;

    // Quoted only when needed; a leading = + - @ is prefixed with ' so a spreadsheet never runs a cell as a formula.
    private static StringBuilder Field(StringBuilder line, string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\n\r") < 0
            ? line.Append(value)
            : line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
