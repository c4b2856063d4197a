using Azure;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>Where issued keys are kept. Storage failures surface as <see cref="RequestFailedException"/>.</summary>
public interface IKeyStore
{
    /// <summary>Stores a new key; false when its id is taken already.</summary>
    Task<bool> CreateAsync(IssuedKey key, CancellationToken cancellationToken);

    /// <summary>The key with <paramref name="id"/>, with its row's ETag; null when there is none.</summary>
    Task<StoredKey?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every key, or those of one owner.</summary>
    IAsyncEnumerable<IssuedKey> ListAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>True when at least one key was ever issued.</summary>
    Task<bool> AnyAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a key if its row is still at <paramref name="etag"/>; false when someone changed it meanwhile.</summary>
    Task<bool> UpdateAsync(IssuedKey key, ETag etag, CancellationToken cancellationToken);
}

/// <summary>A key as read, with the ETag an update must match.</summary>
public sealed record StoredKey(IssuedKey Key, ETag ETag);
