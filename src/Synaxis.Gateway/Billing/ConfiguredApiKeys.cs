using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Billing;

/// <summary>
/// Keys from configuration (<c>Synaxis:ApiKeys</c>) and from a secret (<c>Synaxis:ApiKeysSecret</c>, comma-separated,
/// so that in Azure they live in Key Vault). Only their SHA-256 hashes are kept; a presented key is hashed and compared
/// against every stored hash with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the comparison nor
/// the position of a match leaks through timing. The secret is taken from the secret store's cache on each check, so a
/// refreshed secret counts at once, without a vault call on the request path.
/// </summary>
public sealed class ConfiguredApiKeys : IApiKeyValidator
{
    private const int MaxKeyLength = 1024;

    private readonly byte[][] _configured;
    private readonly ISecretStore _secrets;
    private readonly string? _secretName;
    private volatile SecretKeys _fromSecret = SecretKeys.None;

    public ConfiguredApiKeys(IOptions<GatewayOptions> options, ISecretStore secrets)
    {
        _configured = HashAll(options.Value.ApiKeys);
        _secretName = string.IsNullOrWhiteSpace(options.Value.ApiKeysSecret) ? null : options.Value.ApiKeysSecret;
        _secrets = secrets;
    }

    /// <summary>Open only with no keys and no key secret: a key secret that is missing or empty refuses everyone rather than admitting anyone.</summary>
    public bool IsOpen => _configured.Length == 0 && _secretName is null;

    public bool IsValid(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > MaxKeyLength)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);

        var match = false;
        foreach (var stored in _configured)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, stored);
        }

        foreach (var stored in SecretHashes())
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, stored);
        }

        return match;
    }

    private byte[][] SecretHashes()
    {
        if (_secretName is null)
        {
            return [];
        }

        var read = _secrets.GetSecretAsync(_secretName, CancellationToken.None);
        if (read.IsCompletedSuccessfully)
        {
            return Current(read.Result).Hashes;
        }

        // Not cached yet (start-up reads it first, so this is rare): check with what is known, take the value when it lands.
        _ = TakeWhenReadAsync(read);
        return _fromSecret.Hashes;
    }

    private async Task TakeWhenReadAsync(ValueTask<string?> read)
    {
        try
        {
            Current(await read.ConfigureAwait(false));
        }
        catch (SecretUnavailableException)
        {
            // The store has logged it; the keys known so far stay.
        }
    }

    private SecretKeys Current(string? value)
    {
        var known = _fromSecret;
        if (string.Equals(known.Value, value, StringComparison.Ordinal))
        {
            return known;
        }

        var fresh = new SecretKeys(value, HashAll(value is null ? [] : [value]));
        _fromSecret = fresh;
        return fresh;
    }

    private static byte[][] HashAll(IEnumerable<string> entries) => entries
        .SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Distinct(StringComparer.Ordinal)
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
        .ToArray();

    /// <summary>The secret's value as last seen (to notice a change) and the hashes of its keys.</summary>
    private sealed class SecretKeys(string? value, byte[][] hashes)
    {
        public static readonly SecretKeys None = new(null, []);

        public string? Value { get; } = value;

        public byte[][] Hashes { get; } = hashes;

        public override string ToString() => $"{Hashes.Length} keys";
    }
}
