using Azure;

namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// A key's counter for one limit as last read or written: how much of <see cref="Window"/> the instances have taken
/// between them, and the row's ETag, so the next take can write without reading first.
/// </summary>
/// <param name="Window">The minute window (see <see cref="MinuteWindow"/>) the row counts.</param>
/// <param name="Taken">Units handed out to instances in that window; never above the limit.</param>
/// <param name="ETag">The row's ETag; a write with it fails if another instance wrote in between.</param>
internal sealed record CounterRow(long Window, long Taken, ETag ETag);

/// <summary>What one take from the shared counter gave.</summary>
/// <param name="Granted">Units this instance may admit locally, at most what was asked for.</param>
/// <param name="Row">The row after the take (or as read, when nothing was left).</param>
internal readonly record struct CounterGrant(long Granted, CounterRow Row);
