using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// The text of an issued key: <c>sk-syn-</c>, a 12-character id part and a 32-character secret part, both base62 from
/// <see cref="RandomNumberGenerator"/> (about 190 bits of secret). The id part names the stored key (<c>key_…</c>),
/// so a presented key is found with one point read; only the SHA-256 of the whole text is stored.
/// </summary>
public static class ApiKeyFormat
{
    public const string Scheme = "sk-syn-";
    public const string IdPrefix = "key_";
    public const int IdLength = 12;
    public const int SecretLength = 32;
    public const int Length = 7 + IdLength + SecretLength;

    private const string Base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SearchValues<char> s_base62 = SearchValues.Create(Base62);

    /// <summary>A new key: its stored id and its text (shown once, to the operator who issued it).</summary>
    public static (string Id, string Text) Generate()
    {
        var id = RandomNumberGenerator.GetString(Base62, IdLength);
        var text = Scheme + id + RandomNumberGenerator.GetString(Base62, SecretLength);
        return (IdPrefix + id, text);
    }

    /// <summary>The stored id named by <paramref name="presented"/>, when it has the shape of an issued key at all.</summary>
    public static bool TryParseId(ReadOnlySpan<char> presented, out string id)
    {
        id = string.Empty;
        if (presented.Length != Length || !presented.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var body = presented[Scheme.Length..];
        if (body.ContainsAnyExcept(s_base62))
        {
            return false;
        }

        id = string.Concat(IdPrefix, body[..IdLength]);
        return true;
    }

    /// <summary>True for a string shaped like a stored id (<c>key_</c> + 12 base62 characters).</summary>
    public static bool IsId(string? id) =>
        id is { Length: 4 + IdLength } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept(s_base62);

    /// <summary>SHA-256 of the key's UTF-8 text.</summary>
    public static byte[] Hash(ReadOnlySpan<char> text)
    {
        Span<byte> utf8 = stackalloc byte[Length * 3];
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > utf8.Length)
        {
            return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var written = Encoding.UTF8.GetBytes(text, utf8);
        return SHA256.HashData(utf8[..written]);
    }

    /// <summary>What may be shown of a key: its first 14 characters and an ellipsis.</summary>
    public static string DisplayPrefix(string text) => string.Concat(text.AsSpan(0, 14), "…");
}
