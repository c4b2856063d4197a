using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// Whether any key has been issued yet, for a local gateway without configured keys: it stays open to anyone (the
/// seed's examples) only until its first key is issued. Keys are never deleted, so once true the answer stays true;
/// until then storage is asked at most once per key cache duration, and a key issued here counts at once.
/// </summary>
public sealed class IssuedKeysPresence(IKeyStore store, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly TimeSpan _recheck = options.Value.Billing.KeyCacheDuration;
    private readonly Lock _gate = new();
    private volatile bool _any;
    private Task<bool>? _check;
    private DateTimeOffset _checkedAt;

    public async ValueTask<bool> AnyAsync(CancellationToken cancellationToken)
    {
        if (_any)
        {
            return true;
        }

        Task<bool> check;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_check is null || _check.IsFaulted || (_check.IsCompleted && now - _checkedAt >= _recheck))
            {
                _check = store.AnyAsync(CancellationToken.None);
                _checkedAt = now;
            }

            check = _check;
        }

        var any = await check.WaitAsync(cancellationToken).ConfigureAwait(false);
        _any |= any;
        return any;
    }

    /// <summary>A key was just issued on this instance.</summary>
    public void Issued() => _any = true;
}
