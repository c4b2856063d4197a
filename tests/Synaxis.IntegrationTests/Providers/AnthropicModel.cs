namespace Synaxis.IntegrationTests.Providers;

/// <summary>Settings that make the gateway's model <c>claude</c> an Anthropic deployment on the fake upstream.</summary>
public static class AnthropicModel
{
    public const string Name = "claude";
    public const string UpstreamModel = "claude-sonnet-4-20250514";
    public const string Secret = "anthropic-api-key";
    public const string Key = "sk-ant-upstream-test-5e1d";

    /// <summary>Turns the OpenAI model at <paramref name="index"/> (pointing at the fake upstream) into an Anthropic one.</summary>
    public static void Configure(Dictionary<string, string?> settings, int index = 0)
    {
        settings[$"Synaxis:Models:{index}:Name"] = Name;
        settings[$"Synaxis:Models:{index}:Provider"] = "anthropic";
        settings[$"Synaxis:Models:{index}:UpstreamModel"] = UpstreamModel;
        settings[$"Synaxis:Models:{index}:ApiKeySecret"] = Secret;
        settings[Secret] = Key;
    }

    public static string ChatBody(bool stream, string extra = "") =>
        $$"""{"model":"{{Name}}","messages":[{"role":"user","content":"What is 4200 + 42?"}],"stream":{{(stream ? "true" : "false")}}{{extra}}}""";
}
