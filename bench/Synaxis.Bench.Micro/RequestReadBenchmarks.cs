using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers.OpenAICompatible;

namespace Synaxis.Bench.Micro;

/// <summary>
/// Per request: reading and validating the client's body (<see cref="ChatRequestReader"/>), and writing
/// the body the upstream receives. A one-line chat, and a conversation with a system prompt, earlier
/// turns and a tool.
/// </summary>
[MemoryDiagnoser]
public class RequestReadBenchmarks
{
    private const string Short = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true}""";

    private const string Conversation = """
        {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"temperature":0.2,"max_tokens":512,
         "messages":[
          {"role":"system","content":"You are a helpful assistant that answers briefly and cites sources when it can."},
          {"role":"user","content":"What is the capital of France?"},
          {"role":"assistant","content":"Paris."},
          {"role":"user","content":[{"type":"text","text":"And what is the weather there today?"}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\"temperature\":18,\"sky\":\"cloudy\"}"}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
        """;

    private ReadOnlySequence<byte> _body;
    private ChatCompletionRequest? _parsed;

    [Params("short", "conversation")]
    public string Body { get; set; } = "short";

    [GlobalSetup]
    public void Setup()
    {
        _body = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Body == "short" ? Short : Conversation));
        if (ChatRequestReader.TryRead(_body, out _parsed) is { } error)
        {
            throw new InvalidOperationException($"The benchmark's request is invalid: {error.Message}");
        }
    }

    [Benchmark(Baseline = true)]
    public bool ReadAndValidate() => ChatRequestReader.TryRead(_body, out _) is null;

    [Benchmark]
    public int WriteUpstreamBody() => UpstreamRequestWriter.Write(_parsed!, "gpt-4o-2024-08-06", stream: true).Length;
}
