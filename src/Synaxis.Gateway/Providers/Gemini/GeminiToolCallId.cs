using System.Security.Cryptography;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Gemini's function calls have no ids, so the gateway makes them (<c>call_</c> and 24 random characters).
/// A call's <c>thoughtSignature</c>, which Gemini 3 requires back with the call in the next turn, rides
/// in the id after <see cref="SignatureSeparator"/>: the one field every OpenAI client echoes back unchanged.
/// </summary>
internal static class GeminiToolCallId
{
    public const string SignatureSeparator = "__thought__";

    /// <summary>Google's documented stand-in for a signature the conversation no longer has.</summary>
    public const string SkipValidation = "skip_thought_signature_validator";

    public static string Create(string? upstreamId, string? thoughtSignature)
    {
        var id = string.IsNullOrEmpty(upstreamId) ? "call_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24) : upstreamId;
        return string.IsNullOrEmpty(thoughtSignature) ? id : id + SignatureSeparator + thoughtSignature;
    }

    /// <summary>The signature a tool call id carries, or null.</summary>
    public static string? SignatureOf(string? id)
    {
        var at = id?.IndexOf(SignatureSeparator, StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : id![(at + SignatureSeparator.Length)..];
    }

    /// <summary>Gemini 3 refuses a replayed function call without a signature; older models neither need nor check one.</summary>
    public static bool NeedsSignature(string upstreamModel) =>
        upstreamModel.Replace("models/", "", StringComparison.Ordinal).StartsWith("gemini-3", StringComparison.OrdinalIgnoreCase);
}
