namespace Synaxis.Gateway.Secrets;

/// <summary>
/// One secret's place in the <see cref="KeyVaultSecretStore"/> cache: the last value read and the read in
/// progress, which every concurrent caller joins, so a burst of requests during a refresh is one vault call.
/// </summary>
internal sealed class CachedSecret(string name, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<SecretVersion>? _reading;
    private bool _readingAnswersRefusal;
    private SecretVersion? _current;
    private long _failureReportedIn = -1;
    private long _refreshedAfterRefusalAt;

    public string Name { get; } = name;

    /// <summary>The last successful read, or null before one succeeded.</summary>
    public SecretVersion? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>The refresh interval (counted from the store's start) in which a failed read was last logged; -1 for none.</summary>
    public long FailureReportedIn
    {
        get => Volatile.Read(ref _failureReportedIn);
        set => Volatile.Write(ref _failureReportedIn, value);
    }

    /// <summary>Joins the read in progress, or starts one with <paramref name="read"/>.</summary>
    public Task<SecretVersion> ReadAsync(Func<CachedSecret, Task<SecretVersion>> read)
    {
        lock (_gate)
        {
            return _reading ??= RunAsync(read);
        }
    }

    /// <summary>
    /// A read asked for because an upstream refused the secret: joins the read in progress or starts one, unless such a
    /// read completed less than <paramref name="spacing"/> ago, whose value is then returned without a vault call.
    /// The completion time is set under the same lock that ends the read, so a caller arriving as a read ends either
    /// joins it or sees that it completed; a burst of refusals is one vault call.
    /// </summary>
    public Task<SecretVersion> ReadAfterRefusalAsync(Func<CachedSecret, Task<SecretVersion>> read, TimeSpan spacing)
    {
        lock (_gate)
        {
            if (_reading is null && _refreshedAfterRefusalAt != 0 && time.GetElapsedTime(_refreshedAfterRefusalAt) < spacing
                && Current is { } recent)
            {
                return Task.FromResult(recent);
            }

            _readingAnswersRefusal = true;
            return _reading ??= RunAsync(read);
        }
    }

    private async Task<SecretVersion> RunAsync(Func<CachedSecret, Task<SecretVersion>> read)
    {
        // Leave the caller's thread first: it still holds the lock that publishes this task, which the finally below needs.
        await Task.Yield();
        try
        {
            return await read(this).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _reading = null;
                if (_readingAnswersRefusal)
                {
                    _readingAnswersRefusal = false;
                    _refreshedAfterRefusalAt = time.GetTimestamp();
                }
            }
        }
    }
}

/// <summary>A secret as last read: its value (null when the vault says it does not exist) and its version.</summary>
internal sealed class SecretVersion(string? value, string? version)
{
    public string? Value { get; } = value;

    public string? Version { get; } = version;

    /// <summary>Never the value: this object may end up in a debugger, a dump or a careless log line.</summary>
    public override string ToString() => Value is null ? "(no such secret)" : $"version {Version}";
}
