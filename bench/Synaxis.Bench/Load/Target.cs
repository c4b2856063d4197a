using Synaxis.Bench.Processes;

namespace Synaxis.Bench.Load;

/// <summary>
/// Where a round sends its requests: straight to the fake upstream (<c>direct</c>), or through a gateway
/// to it, with the headers that gateway needs. <see cref="Process"/> is the gateway's, null for direct.
/// <see cref="ApiKey"/> is the bearer key sent: the gateways' configured key, or an issued key for the metered gateway.
/// </summary>
internal sealed record Target(
    string Name, Uri ChatCompletionsUrl, IReadOnlyList<KeyValuePair<string, string>> Headers, ChildProcess? Process, string ApiKey = SynaxisProcess.ClientKey)
{
    public const string Direct = "direct";

    public bool IsGateway => Process is not null;
}
