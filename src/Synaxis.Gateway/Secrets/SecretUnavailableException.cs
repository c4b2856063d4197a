namespace Synaxis.Gateway.Secrets;

/// <summary>
/// A secret could not be read: its store did not answer and no earlier value is known. Distinct from a secret
/// that does not exist (<see cref="ISecretStore.GetSecretAsync"/> returns null). The message names the secret;
/// nothing here ever holds a value.
/// </summary>
public sealed class SecretUnavailableException : Exception
{
    public SecretUnavailableException(string secretName, Exception innerException)
        : base($"The secret '{secretName}' could not be read from the secret store.", innerException)
    {
        SecretName = secretName;
    }

    public string SecretName { get; }
}
