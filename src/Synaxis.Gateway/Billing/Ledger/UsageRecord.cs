using System.Globalization;
using Azure.Data.Tables;

namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>
/// One call in the usage ledger. Stored in the usage table with partition key <c>{keyId}|{yyyyMMdd}</c> (the UTC day the
/// call started) and row key = request id, so a call has exactly one row: the pending row written at its start is
/// replaced by the settled (or reconciled) one, and writing it twice changes nothing. Costs are decimals, stored as
/// invariant strings because tables have no decimal type.
/// </summary>
public sealed record UsageRecord
{
    public required string RequestId { get; init; }

    public required string KeyId { get; init; }

    /// <summary>The public model name the client asked for (after alias resolution).</summary>
    public required string Model { get; init; }

    /// <summary>The deployment that served the call, when one did.</summary>
    public string? Deployment { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public UsageState State { get; init; }

    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    /// <summary>Prompt tokens served from the provider's prompt cache (priced at the cached-input price).</summary>
    public int CachedTokens { get; init; }

    /// <summary>True when the token figures are the gateway's estimate (the upstream gave none, or the stream broke).</summary>
    public bool UsageEstimated { get; init; }

    /// <summary>What the call cost, in the catalog's currency.</summary>
    public decimal Cost { get; init; }

    /// <summary>The HTTP status the client got (499 when it left before any answer).</summary>
    public int Status { get; init; }

    public bool Streamed { get; init; }

    /// <summary>The client left before the answer was complete: billed for what was delivered.</summary>
    public bool Aborted { get; init; }

    public double? TimeToFirstTokenMs { get; init; }

    public double? DurationMs { get; init; }

    /// <summary>The instance that served the call, so an instance's unfinished calls can be found after it died.</summary>
    public string? Instance { get; init; }

    public string PartitionKey => PartitionKeyFor(KeyId, StartedAt);

    public static string PartitionKeyFor(string keyId, DateTimeOffset day) =>
        string.Create(CultureInfo.InvariantCulture, $"{keyId}|{day.UtcDateTime:yyyyMMdd}");

    public TableEntity ToEntity() => new(PartitionKey, RequestId)
    {
        [nameof(KeyId)] = KeyId,
        [nameof(Model)] = Model,
        [nameof(Deployment)] = Deployment,
        [nameof(StartedAt)] = StartedAt,
        [nameof(State)] = State.ToString(),
        [nameof(PromptTokens)] = PromptTokens,
        [nameof(CompletionTokens)] = CompletionTokens,
        [nameof(CachedTokens)] = CachedTokens,
        [nameof(UsageEstimated)] = UsageEstimated,
        [nameof(Cost)] = Cost.ToString(CultureInfo.InvariantCulture),
        [nameof(Status)] = Status,
        [nameof(Streamed)] = Streamed,
        [nameof(Aborted)] = Aborted,
        [nameof(TimeToFirstTokenMs)] = TimeToFirstTokenMs,
        [nameof(DurationMs)] = DurationMs,
        [nameof(Instance)] = Instance,
    };

    public static UsageRecord FromEntity(TableEntity entity) => new()
    {
        RequestId = entity.RowKey,
        KeyId = entity.GetString(nameof(KeyId)) ?? string.Empty,
        Model = entity.GetString(nameof(Model)) ?? string.Empty,
        Deployment = entity.GetString(nameof(Deployment)),
        StartedAt = entity.GetDateTimeOffset(nameof(StartedAt)) ?? entity.Timestamp ?? DateTimeOffset.MinValue,
        State = Enum.TryParse<UsageState>(entity.GetString(nameof(State)), out var state) ? state : UsageState.Pending,
        PromptTokens = entity.GetInt32(nameof(PromptTokens)) ?? 0,
        CompletionTokens = entity.GetInt32(nameof(CompletionTokens)) ?? 0,
        CachedTokens = entity.GetInt32(nameof(CachedTokens)) ?? 0,
        UsageEstimated = entity.GetBoolean(nameof(UsageEstimated)) ?? false,
        Cost = decimal.TryParse(entity.GetString(nameof(Cost)), NumberStyles.Number, CultureInfo.InvariantCulture, out var cost) ? cost : 0m,
        Status = entity.GetInt32(nameof(Status)) ?? 0,
        Streamed = entity.GetBoolean(nameof(Streamed)) ?? false,
        Aborted = entity.GetBoolean(nameof(Aborted)) ?? false,
        TimeToFirstTokenMs = entity.GetDouble(nameof(TimeToFirstTokenMs)),
        DurationMs = entity.GetDouble(nameof(DurationMs)),
        Instance = entity.GetString(nameof(Instance)),
    };
}
