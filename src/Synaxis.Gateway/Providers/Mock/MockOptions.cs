namespace Synaxis.Gateway.Providers.Mock;

/// <summary>Pacing of the built-in mock model (<c>Synaxis:Mock</c>).</summary>
public sealed class MockOptions
{
    /// <summary>Wait before the first token, like a real model's time to first token.</summary>
    public TimeSpan FirstTokenDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Wait between two tokens.</summary>
    public TimeSpan TokenDelay { get; set; } = TimeSpan.FromMilliseconds(30);
}
