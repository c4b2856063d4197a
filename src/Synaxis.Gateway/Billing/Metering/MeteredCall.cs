using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Billing.Ledger;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>
/// An admitted call, holding what was taken for it (a rate-limit slot, a budget reservation, a pending usage record)
/// until <see cref="CompleteAsync"/> settles all three with the call's real figures. Completing twice does nothing.
/// The pending record is written while the call is routed; no byte of the answer may go out before
/// <see cref="WaitRecordedAsync"/> says it is stored.
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

    /// <summary>Completes when the pending usage record is stored; faults when it could not be (then all that was taken is given back).</summary>
    internal Task Recorded { get; set; } = Task.CompletedTask;

    /// <summary>True once the pending record is stored; false when storing it failed, and the call must then not be answered.</summary>
    public async ValueTask<bool> WaitRecordedAsync()
    {
        try
        {
            await Recorded.ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // the meter has given everything back and logged the failure; here it only decides the answer
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>The settled record, once <see cref="CompleteAsync"/> has run.</summary>
    public UsageRecord? Record { get; private set; }

    /// <summary>Prices the call, writes its settled usage record, and settles its budget reservation and rate-limit tokens.</summary>
    public async ValueTask<UsageRecord?> CompleteAsync(CallSummary summary)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return Record;
        }

        // The settled row must replace the pending one, never be overwritten by it; and a call whose pending row
        // could not be stored was never admitted (its reservation is back, the client got 503).
        if (!await WaitRecordedAsync().ConfigureAwait(false))
        {
            return null;
        }

        Record = await _meter.SettleAsync(this, summary).ConfigureAwait(false);
        return Record;
    }
}
