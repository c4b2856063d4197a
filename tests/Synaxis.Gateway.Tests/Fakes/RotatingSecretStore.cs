using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>A secret store whose value changes when it is read again from its source: a key rotated behind the gateway's back.</summary>
internal sealed class RotatingSecretStore(string current, string? afterRefresh) : ISecretStore
{
    private string? _value = current;

    public int Refreshes { get; private set; }

    public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(_value);

    public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken)
    {
        Refreshes++;
        _value = afterRefresh;
        return ValueTask.FromResult(_value);
    }
}
