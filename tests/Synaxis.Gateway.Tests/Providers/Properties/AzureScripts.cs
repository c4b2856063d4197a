using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Synaxis.Gateway.Tests.Providers.Properties;

/// <summary>A generated Azure OpenAI stream: its events' JSON in order, and whether it ends with <c>[DONE]</c>.</summary>
public sealed record AzureScript(IReadOnlyList<AzureEvent> Events, bool Done)
{
    public byte[] ToSse() => Encoding.UTF8.GetBytes(string.Concat(Events.Select(e => $"data: {e.Json}\n\n")) + (Done ? "data: [DONE]\n\n" : ""));

    public override string ToString() => string.Join("\n", Events.Select(e => e.Json)) + (Done ? "\n[DONE]" : "");
}

/// <summary>One event; <see cref="IsAnnotation"/> marks Azure's choice-less, usage-less filter results.</summary>
public sealed record AzureEvent(string Json, bool IsAnnotation, bool HasFinish, bool HasUsage);

/// <summary>FsCheck generators for Azure streams: prompt-filter annotations anywhere, content with filter results, tool calls, finishes, usage.</summary>
public static class AzureScripts
{
    private const string Filters = """{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}""";
    private const string Head = "\"created\":1769482793,\"id\":\"chatcmpl-D2TazvwcOFuGdLjrtBVM6DpKm1VA8\",\"model\":\"gpt-5-mini-2025-08-07\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":null";

    public static Arbitrary<AzureScript> Scripts() => Script.ToArbitrary();

    private static Gen<AzureScript> Script =>
        from count in Gen.Choose(0, 10)
        from events in Gen.Frequency((2, Annotation), (5, Content), (2, ToolCall), (1, Finish), (1, Usage)).ListOf(count)
        from done in Gen.Elements(true, false)
        select new AzureScript([.. events], done);

    private static Gen<AzureEvent> Annotation => Gen.Constant(new AzureEvent(
        """{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":""" + Filters + "}]}",
        IsAnnotation: true, HasFinish: false, HasUsage: false));

    private static Gen<AzureEvent> Content =>
        from text in Gen.Elements("Hallo", " Welt", "!", "\\\"quoted\\\"", "ü", "")
        from filtered in Gen.Elements("{}", Filters)
        select new AzureEvent(
            $$"""{"choices":[{"content_filter_results":{{filtered}},"delta":{"content":"{{text}}"},"finish_reason":null,"index":0,"logprobs":null}],{{Head}},"usage":null}""",
            IsAnnotation: false, HasFinish: false, HasUsage: false);

    private static Gen<AzureEvent> ToolCall =>
        from fragment in Gen.Elements("{\\\"pa", "ssword\\\": \\\"m", "ellon\\\"}")
        select new AzureEvent(
            $$"""{"choices":[{"content_filter_results":{},"delta":{"tool_calls":[{"function":{"arguments":"{{fragment}}"},"index":0}]},"finish_reason":null,"index":0,"logprobs":null}],{{Head}},"usage":null}""",
            IsAnnotation: false, HasFinish: false, HasUsage: false);

    private static Gen<AzureEvent> Finish =>
        from reason in Gen.Elements("stop", "length", "content_filter", "tool_calls")
        select new AzureEvent(
            $$"""{"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"{{reason}}","index":0,"logprobs":null}],{{Head}},"usage":null}""",
            IsAnnotation: false, HasFinish: true, HasUsage: false);

    private static Gen<AzureEvent> Usage =>
        from prompt in Gen.Choose(1, 500)
        from completion in Gen.Choose(0, 500)
        select new AzureEvent(
            $$$"""{"choices":[],{{{Head}}},"usage":{"completion_tokens":{{{completion}}},"prompt_tokens":{{{prompt}}},"total_tokens":{{{prompt + completion}}}}}""",
            IsAnnotation: false, HasFinish: false, HasUsage: true);
}
