using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Protocol.Anthropic;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// The token counts of one Anthropic stream as they arrive: input counts from <c>message_start</c>, the
/// final counts from <c>message_delta</c> (totals for the whole message; a count it leaves out keeps its
/// earlier value). Until the final output count is in, the output is estimated from the text relayed.
/// </summary>
internal sealed class AnthropicStreamUsage
{
    private int _input;
    private int _cacheRead;
    private int _cacheCreation;
    private int _output;
    private bool _final;
    private long _characters;

    public void Take(AnthropicUsage usage, bool final)
    {
        _input = usage.InputTokens ?? _input;
        _cacheRead = usage.CacheReadInputTokens ?? _cacheRead;
        _cacheCreation = usage.CacheCreationInputTokens ?? _cacheCreation;
        _output = usage.OutputTokens ?? _output;
        _final |= final && usage.OutputTokens is not null;
    }

    /// <summary>Counts what was relayed, for the estimate a broken stream needs.</summary>
    public void Relayed(int characters) => _characters += characters;

    /// <summary>
    /// Exact once <c>message_delta</c> gave the output count; before that the output is about four characters
    /// a token of the text relayed (never less than Anthropic's running count), marked as estimated.
    /// </summary>
    public Usage Current()
    {
        var output = _final ? _output : Math.Max(_output, (int)Math.Min(int.MaxValue, (_characters + 3) / 4));
        return AnthropicUsageMapper.ToUsage(_input, _cacheRead, _cacheCreation, output, estimated: !_final);
    }
}
