namespace Synaxis.Bench;

/// <summary>Where a round sends its requests: straight to the fake upstream, or through the gateway to it.</summary>
internal sealed record Target(string Name, Uri ChatCompletionsUrl);
