using System.Text.Json.Serialization;

namespace Synaxis.Bench.Upstream;

/// <summary>What <c>GET /bench/ledger</c> answers: requests in flight, and every tagged stream since the last reset.</summary>
internal sealed record LedgerReport(int Active, IReadOnlyList<LedgerRecord> Records);

/// <summary>One tagged stream; <see cref="Aborted"/> is 0 unless the caller hung up before the stream's end.</summary>
internal sealed record LedgerRecord(string Id, long Started, long Aborted, bool Completed);

[JsonSerializable(typeof(LedgerReport))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
