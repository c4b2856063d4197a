namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// Issues keys and changes them. Every change is a read → change → write on the row's ETag, again from a fresh read
/// when another writer won, and is remembered by this instance's <see cref="KeyDirectory"/> so it counts here at once.
/// </summary>
public sealed class KeyAdministration(IKeyStore store, KeyDirectory directory, IssuedKeysPresence presence, TimeProvider time)
{
    private const int MaxAttempts = 20;

    /// <summary>Stores a new key made from <paramref name="template"/> and returns it with its text, which exists nowhere else.</summary>
    public async Task<(IssuedKey Key, string Text)> IssueAsync(IssuedKey template, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (id, text) = ApiKeyFormat.Generate();
            var key = template with
            {
                Id = id,
                Prefix = ApiKeyFormat.DisplayPrefix(text),
                Hash = ApiKeyFormat.Hash(text),
                CreatedAt = time.GetUtcNow(),
            };

            // 62^12 ids make a collision all but impossible; a taken id just draws another key.
            if (await store.CreateAsync(key, cancellationToken).ConfigureAwait(false))
            {
                directory.Remember(key);
                presence.Issued();
                return (key, text);
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException("Could not find a free key id.");
            }
        }
    }

    /// <summary>The key with <paramref name="id"/>, read from storage (not the cache: the admin API shows what is stored).</summary>
    public async Task<IssuedKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await store.FindAsync(id, cancellationToken).ConfigureAwait(false))?.Key;

    /// <summary>Applies <paramref name="change"/> to the stored key; null when there is no such key.</summary>
    public async Task<IssuedKey?> ChangeAsync(string id, Func<IssuedKey, IssuedKey> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return null;
            }

            var changed = change(stored.Key) with { Id = stored.Key.Id, Hash = stored.Key.Hash, Prefix = stored.Key.Prefix, CreatedAt = stored.Key.CreatedAt };
            if (await store.UpdateAsync(changed, stored.ETag, cancellationToken).ConfigureAwait(false))
            {
                directory.Remember(changed);
                return changed;
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The key {id} kept changing under this update.");
            }
        }
    }

    public IAsyncEnumerable<IssuedKey> ListAsync(string? owner, CancellationToken cancellationToken) => store.ListAsync(owner, cancellationToken);
}
