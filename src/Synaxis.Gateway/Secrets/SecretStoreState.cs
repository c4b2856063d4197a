namespace Synaxis.Gateway.Secrets;

/// <summary>How many of the secrets a <see cref="KeyVaultSecretStore"/> knows are in each state; see <see cref="KeyVaultSecretStore.State"/>.</summary>
/// <param name="Fresh">Read, and the last read succeeded.</param>
/// <param name="ServingLastGood">The last refresh failed; the value read before keeps serving.</param>
/// <param name="Unreadable">Never read successfully, and the last read failed: calls that need it fail.</param>
/// <param name="Reading">The first read is still in flight.</param>
internal readonly record struct SecretStoreState(int Fresh, int ServingLastGood, int Unreadable, int Reading);
