namespace Synaxis.Gateway.Secrets;

/// <summary>
/// How secret names work: Key Vault allows letters, digits and dashes (<c>openai-api-key</c>), and locally the
/// same secret is also found under the environment-variable spelling of its name (<c>OPENAI_API_KEY</c>).
/// </summary>
public static class SecretNames
{
    /// <summary>The admin key's secret unless <c>Synaxis:AdminKeySecret</c> names another.</summary>
    public const string DefaultAdminKey = "synaxis-admin-key";

    /// <summary>Upper-cased with dashes as underscores: <c>openai-api-key</c> → <c>OPENAI_API_KEY</c>.</summary>
    public static string ToEnvironmentVariable(string name) => name.Replace('-', '_').ToUpperInvariant();

    /// <summary>True for a name Key Vault can hold: 1 to 127 ASCII letters, digits and dashes.</summary>
    public static bool IsValidInKeyVault(string name) =>
        name.Length is > 0 and <= 127 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>The Key Vault spelling of a name written for the environment: <c>OPENAI_API_KEY</c> → <c>openai-api-key</c>.</summary>
    public static string ToKeyVault(string name) => name.Replace('_', '-').ToLowerInvariant();
}
