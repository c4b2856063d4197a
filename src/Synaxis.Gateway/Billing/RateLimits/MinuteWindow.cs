namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// The fixed UTC minute windows limits are counted in: a window is numbered by whole minutes since the Unix epoch, so
/// every instance (with a clock kept by NTP, as Azure's are) agrees on which window an instant falls into.
/// </summary>
internal static class MinuteWindow
{
    /// <summary>The number of the window holding <paramref name="instant"/>.</summary>
    public static long Of(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / 60;

    /// <summary>When window <paramref name="window"/> begins.</summary>
    public static DateTimeOffset Start(long window) => DateTimeOffset.FromUnixTimeSeconds(window * 60);

    /// <summary>How long from <paramref name="now"/> until the window holding it ends and a new one starts whole.</summary>
    public static TimeSpan UntilNext(DateTimeOffset now) => Start(Of(now) + 1) - now;
}
