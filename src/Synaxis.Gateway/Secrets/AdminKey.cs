using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// The gateway's own admin key, which guards the key-management API. It lives in the secret store like every
/// other secret (<c>Synaxis:AdminKeySecret</c>, default <c>synaxis-admin-key</c>), so it rotates the same way and
/// never sits in app settings. A presented key is compared in constant time.
/// </summary>
public sealed class AdminKey(ISecretStore secrets, IOptions<GatewayOptions> options)
{
    private const int MaxKeyLength = 1024;

    /// <summary>The name of the secret holding the admin key.</summary>
    public string SecretName { get; } = options.Value.AdminKeySecret;

    /// <summary>Checks <paramref name="presented"/> against the stored admin key; once the secret is cached, no vault call.</summary>
    public async ValueTask<AdminKeyCheck> VerifyAsync(string? presented, CancellationToken cancellationToken)
    {
        string? stored;
        try
        {
            stored = await secrets.GetSecretAsync(SecretName, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretUnavailableException)
        {
            return AdminKeyCheck.Unavailable;
        }

        if (stored is null)
        {
            return AdminKeyCheck.NotConfigured;
        }

        if (string.IsNullOrEmpty(presented) || presented.Length > MaxKeyLength)
        {
            return AdminKeyCheck.Invalid;
        }

        // Hashing first gives FixedTimeEquals inputs of equal length, so not even the key's length shows in the timing.
        return CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(stored)) ? AdminKeyCheck.Valid : AdminKeyCheck.Invalid;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>What <see cref="AdminKey.VerifyAsync"/> found.</summary>
public enum AdminKeyCheck
{
    /// <summary>The presented key is the admin key.</summary>
    Valid,

    /// <summary>No key, or a different one (answer 401).</summary>
    Invalid,

    /// <summary>The admin key secret does not exist: the admin API is off (answer 403 or 503, never let anyone in).</summary>
    NotConfigured,

    /// <summary>The secret store could not be read and the admin key was never read before (answer 503).</summary>
    Unavailable,
}
