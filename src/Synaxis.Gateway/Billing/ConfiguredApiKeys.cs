using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Billing;

/// <summary>
/// Keys from configuration (<c>Synaxis:ApiKeys</c>). Only their SHA-256 hashes are kept; a presented key is
/// hashed and compared against every stored hash with <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// so neither the comparison nor the position of a match leaks through timing.
/// </summary>
public sealed class ConfiguredApiKeys : IApiKeyValidator
{
    private readonly byte[][] _hashes;

    public ConfiguredApiKeys(IOptions<GatewayOptions> options)
    {
        _hashes = options.Value.ApiKeys
            .SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
            .ToArray();
    }

    public bool IsOpen => _hashes.Length == 0;

    public bool IsValid(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > 1024)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);

        var match = false;
        foreach (var stored in _hashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, stored);
        }

        return match;
    }
}
