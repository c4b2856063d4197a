using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Billing.Ledger;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>
/// An admitted call, holding what was taken for it (a rate-limit slot, a budget reservation, a pending usage record)
/// until <see cref="CompleteAsync"/> settles all three with the call's real figures. Completing twice does nothing.
/// </summary>
public sealed class MeteredCall
{
    private readonly CallMeter _meter;
    private int _completed;

    internal MeteredCall(CallMeter meter, CallRequest request, DateTimeOffset startedAt, RateLimitDecision limits, BudgetReservation reservation)
    {
        _meter = meter;
        Request = request;
        StartedAt = startedAt;
        Limits = limits;
        Reservation = reservation;
    }

    public CallRequest Request { get; }

    public DateTimeOffset StartedAt { get; }

    public RateLimitDecision Limits { get; }

    public BudgetReservation Reservation { get; }

    /// <summary>The settled record, once <see cref="CompleteAsync"/> has run.</summary>
    public UsageRecord? Record { get; private set; }

    /// <summary>Prices the call, writes its settled usage record, and settles its budget reservation and rate-limit tokens.</summary>
    public async ValueTask<UsageRecord?> CompleteAsync(CallSummary summary)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return Record;
        }

        Record = await _meter.SettleAsync(this, summary).ConfigureAwait(false);
        return Record;
    }
}
