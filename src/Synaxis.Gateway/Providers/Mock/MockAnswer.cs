using System.Text.RegularExpressions;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Mock;

/// <summary>The deterministic answer of the mock model: the same conversation always gets the same tokens.</summary>
internal static partial class MockAnswer
{
    private const int MaxEcho = 200;

    /// <summary>The answer's tokens (words with their leading space) and the estimated prompt size.</summary>
    public static (List<string> Tokens, int PromptTokens) For(ChatCompletionRequest request)
    {
        var messages = request.Messages!;
        var lastUser = messages.LastOrDefault(m => m.Role == "user")?.Content?.ToPlainText() ?? "";
        var echo = lastUser.Length > MaxEcho ? lastUser[..MaxEcho] + "…" : lastUser;
        var text = $"Hello from the Synaxis mock model. You said: \"{echo.ReplaceLineEndings(" ")}\". " +
            $"This is turn {messages.Count(m => m.Role == "user")} of our conversation. " +
            "The gateway writes this answer itself, token by token, so that streaming can be tried without a provider key. " +
            "Point a model at a real provider in the catalog to get real answers.";

        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        var promptCharacters = messages.Sum(m => (m.Content?.ToPlainText().Length ?? 0) + (m.Role?.Length ?? 0));
        return (tokens, EstimateTokens(promptCharacters));
    }

    /// <summary>About four characters a token, the usual rule of thumb for English text.</summary>
    public static int EstimateTokens(int characters) => Math.Max(1, (characters + 3) / 4);

    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex Token();
}
