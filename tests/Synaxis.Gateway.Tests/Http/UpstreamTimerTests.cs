using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Tests.Http;

/// <summary>One token for the upstream call that afterwards tells "timed out" apart from "client left".</summary>
public sealed class UpstreamTimerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _client = new();

    [Fact]
    public void Armed_WhenTheTimeRunsOut_CancelsAndTimesOut()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        timer.Arm(Timeout);
        _time.Advance(Timeout);

        Assert.True(timer.Token.IsCancellationRequested);
        Assert.True(timer.TimedOut);
        Assert.False(timer.ClientAborted);
    }

    [Fact]
    public void Armed_BeforeTheTimeRunsOut_DoesNothing()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        timer.Arm(Timeout);
        _time.Advance(Timeout - TimeSpan.FromTicks(1));

        Assert.False(timer.Token.IsCancellationRequested);
        Assert.False(timer.TimedOut);
    }

    [Fact]
    public void NotArmed_NeverFires()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        _time.Advance(TimeSpan.FromDays(1));

        Assert.False(timer.Token.IsCancellationRequested);
    }

    [Fact]
    public void ArmedAgain_RestartsTheCountdown()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        timer.Arm(Timeout);
        _time.Advance(TimeSpan.FromSeconds(20));
        timer.Arm(Timeout); // a chunk arrived
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(timer.Token.IsCancellationRequested);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(timer.TimedOut);
    }

    [Fact]
    public void ArmedAgainWithAShorterTimeout_FiresAtTheShorterOne()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        timer.Arm(Timeout);
        timer.Arm(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(timer.TimedOut);
    }

    [Fact]
    public void ArmedPerChunk_ForLongerThanTheTimeout_NeverFires_ThenFiresOnceTheChunksStop()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        for (var i = 0; i < 100; i++)
        {
            timer.Arm(Timeout);
            _time.Advance(TimeSpan.FromSeconds(1));
            timer.Disarm(); // writing the chunk to the client
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(timer.Token.IsCancellationRequested);
        timer.Arm(Timeout);
        _time.Advance(Timeout - TimeSpan.FromTicks(1));
        Assert.False(timer.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(timer.TimedOut);
    }

    [Fact]
    public void Disarmed_NeverFires()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);

        timer.Arm(Timeout);
        _time.Advance(TimeSpan.FromSeconds(10));
        timer.Disarm();
        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(timer.Token.IsCancellationRequested);
        Assert.False(timer.TimedOut);
    }

    [Fact]
    public void DisarmedAfterFiring_StaysTimedOut()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);
        timer.Arm(Timeout);
        _time.Advance(Timeout);

        timer.Disarm();

        Assert.True(timer.TimedOut);
    }

    [Fact]
    public async Task ClientAbort_CancelsAsClientAborted_NotTimedOut()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);
        timer.Arm(Timeout);

        await _client.CancelAsync();

        Assert.True(timer.Token.IsCancellationRequested);
        Assert.True(timer.ClientAborted);
        Assert.False(timer.TimedOut);
    }

    [Fact]
    public async Task ClientAbortAfterTimeout_CountsAsClientAborted()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);
        timer.Arm(Timeout);
        _time.Advance(Timeout);

        await _client.CancelAsync();

        Assert.True(timer.ClientAborted);
        Assert.False(timer.TimedOut); // nobody is left to tell about the timeout
    }

    [Theory]
    [InlineData(true, "The upstream sent nothing before the first-byte timeout.")]
    [InlineData(false, "The upstream went silent for longer than the idle timeout.")]
    public void FromException_AfterTimeout_IsTimedOut(bool beforeFirstChunk, string message)
    {
        using var timer = new UpstreamTimer(_time, _client.Token);
        timer.Arm(Timeout);
        _time.Advance(Timeout);

        var failure = UpstreamErrors.FromException(timer, beforeFirstChunk);

        Assert.Equal(UpstreamFailureKind.TimedOut, failure.Kind);
        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void FromException_WithoutTimeout_IsReset()
    {
        using var timer = new UpstreamTimer(_time, _client.Token);
        timer.Arm(Timeout);

        Assert.Equal(UpstreamFailureKind.Reset, UpstreamErrors.FromException(timer, beforeFirstChunk: false).Kind);
    }
}
