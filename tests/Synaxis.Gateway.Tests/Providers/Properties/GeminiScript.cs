using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Synaxis.Gateway.Tests.Providers.Properties;

/// <summary>A generated sequence of Gemini stream events, and what a correct translation of it must show a client.</summary>
public sealed record GeminiScript(IReadOnlyList<GeminiEventSpec> Events, string? ResponseId)
{
    /// <summary>The events as <c>streamGenerateContent?alt=sse</c> sends them: <c>data:</c> lines, CRLF CRLF between events.</summary>
    public byte[] ToSse() => Encoding.UTF8.GetBytes(string.Concat(Events.Select(e => "data: " + e.ToJson(ResponseId).ToJsonString() + "\r\n\r\n")));

    public override string ToString() => string.Join("\n", Events.Select(e => e.ToJson(ResponseId).ToJsonString()));
}

/// <summary>One event: candidates with parts and maybe a finish reason, a blocked prompt, or an error.</summary>
public abstract record GeminiEventSpec(GeminiUsageSpec? Usage)
{
    public abstract JsonObject ToJson(string? responseId);

    protected JsonObject WithCommon(JsonObject json, string? responseId)
    {
        if (Usage is not null)
        {
            json["usageMetadata"] = Usage.ToJson();
        }

        json["modelVersion"] = "gemini-2.5-flash";
        if (responseId is not null)
        {
            json["responseId"] = responseId;
        }

        return json;
    }
}

public sealed record CandidatesEvent(IReadOnlyList<CandidateSpec> Candidates, GeminiUsageSpec? Usage) : GeminiEventSpec(Usage)
{
    public override JsonObject ToJson(string? responseId) =>
        WithCommon(new JsonObject { ["candidates"] = new JsonArray([.. Candidates.Select(c => (JsonNode)c.ToJson())]) }, responseId);
}

public sealed record BlockedEvent(string Reason, GeminiUsageSpec? Usage) : GeminiEventSpec(Usage)
{
    public override JsonObject ToJson(string? responseId) =>
        WithCommon(new JsonObject { ["promptFeedback"] = new JsonObject { ["blockReason"] = Reason } }, responseId);
}

public sealed record ErrorEvent(int Code, string Status) : GeminiEventSpec(Usage: null)
{
    public override JsonObject ToJson(string? responseId) =>
        new() { ["error"] = new JsonObject { ["code"] = Code, ["message"] = $"Failed with {Status}.", ["status"] = Status } };
}

public sealed record CandidateSpec(int Index, IReadOnlyList<PartSpec> Parts, string? FinishReason)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["content"] = new JsonObject { ["parts"] = new JsonArray([.. Parts.Select(p => (JsonNode)p.ToJson())]), ["role"] = "model" },
            ["index"] = Index,
        };
        if (FinishReason is not null)
        {
            json["finishReason"] = FinishReason;
        }

        return json;
    }
}

/// <summary>A text part, a thought summary, or a function call (with its arguments' JSON and maybe a signature).</summary>
public sealed record PartSpec(PartKind Kind, string Text, string Name, string Arguments, string? Signature)
{
    public JsonObject ToJson()
    {
        var json = Kind switch
        {
            PartKind.Text => new JsonObject { ["text"] = Text },
            PartKind.Thought => new JsonObject { ["text"] = Text, ["thought"] = true },
            _ => new JsonObject { ["functionCall"] = new JsonObject { ["name"] = Name, ["args"] = JsonNode.Parse(Arguments) } },
        };
        if (Signature is not null)
        {
            json["thoughtSignature"] = Signature;
        }

        return json;
    }
}

public enum PartKind
{
    Text,
    Thought,
    Call,
}

public sealed record GeminiUsageSpec(int? Prompt, int? Candidates, int? Thoughts, int? Cached)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        Add(json, "promptTokenCount", Prompt);
        Add(json, "candidatesTokenCount", Candidates);
        Add(json, "thoughtsTokenCount", Thoughts);
        Add(json, "cachedContentTokenCount", Cached);
        json["totalTokenCount"] = (Prompt ?? 0) + (Candidates ?? 0) + (Thoughts ?? 0);
        return json;
    }

    private static void Add(JsonObject json, string name, int? value)
    {
        if (value is { } count)
        {
            json[name] = count;
        }
    }
}

/// <summary>FsCheck generators for <see cref="GeminiScript"/>: texts with quotes, escapes, newlines and non-ASCII, every finish reason, up to three candidates.</summary>
public static class GeminiScripts
{
    private static readonly string[] Texts = ["Hello", " wörld", "\"quoted\"", "line\nbreak", "🎉 party", "", "back\\slash", "<b>&amp;</b>", "日本語のテキスト", " "];
    private static readonly string[] Arguments = ["{}", """{"city":"Paris"}""", """{"n":42,"nested":{"a":[1,2,{"b":null}]}}""", """{"s":"quote \" and \\ and \n"}""", """{"flag":true,"ratio":0.25}"""];
    private static readonly string[] FinishReasons = ["STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT", "MALFORMED_FUNCTION_CALL", "A_REASON_ADDED_LATER"];

    public static Arbitrary<GeminiScript> Scripts() => Script.ToArbitrary();

    private static Gen<GeminiScript> Script =>
        from count in Gen.Choose(0, 12)
        from events in Gen.Frequency((6, Candidates), (1, Blocked), (1, Error)).ListOf(count)
        from responseId in Gen.Elements("resp-7Qx", null)
        select new GeminiScript([.. events], responseId);

    private static Gen<GeminiUsageSpec?> Usage =>
        Gen.Frequency(
            (1, Gen.Constant<GeminiUsageSpec?>(null)),
            (3, from prompt in Count(5000)
                from candidates in Count(5000)
                from thoughts in Count(5000)
                from cached in Count(100)
                select (GeminiUsageSpec?)new GeminiUsageSpec(prompt, candidates, thoughts, cached)));

    /// <summary>A token count Gemini may also leave out.</summary>
    private static Gen<int?> Count(int max) => Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, max).Select(n => (int?)n)));

    private static Gen<PartSpec> Part =>
        from kind in Gen.Frequency((5, Gen.Constant(PartKind.Text)), (2, Gen.Constant(PartKind.Thought)), (2, Gen.Constant(PartKind.Call)))
        from text in Gen.Elements(Texts)
        from name in Gen.Elements("get_weather", "lookup_order")
        from arguments in Gen.Elements(Arguments)
        from signature in Gen.Elements(null, "CikB0e2Kbw5tJ9dw+/=")
        select new PartSpec(kind, text, name, arguments, signature);

    private static Gen<CandidateSpec> Candidate(int index) =>
        from count in Gen.Choose(0, 4)
        from parts in Part.ListOf(count)
        from finish in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Gen.Elements(FinishReasons).Select(r => (string?)r)))
        select new CandidateSpec(index, [.. parts], finish);

    private static Gen<GeminiEventSpec> Candidates =>
        from indices in Gen.Frequency((6, Gen.Constant(new[] { 0 })), (1, Gen.SubListOf(0, 1, 2).Select(l => l.ToArray())))
        from candidates in Gen.CollectToList(indices, Candidate)
        from usage in Usage
        select (GeminiEventSpec)new CandidatesEvent([.. candidates], usage);

    private static Gen<GeminiEventSpec> Blocked =>
        from reason in Gen.Elements("SAFETY", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT")
        from usage in Usage
        select (GeminiEventSpec)new BlockedEvent(reason, usage);

    private static Gen<GeminiEventSpec> Error =>
        from error in Gen.Elements((503, "UNAVAILABLE"), (500, "INTERNAL"), (429, "RESOURCE_EXHAUSTED"))
        select (GeminiEventSpec)new ErrorEvent(error.Item1, error.Item2);
}
