using Synaxis.Gateway.Billing.Ledger;

namespace Synaxis.Gateway.Billing.Reports;

/// <summary>Calls, tokens and cost added up over some usage records. Cost stays a decimal to the last digit.</summary>
public sealed class UsageTotals
{
    public long Requests { get; private set; }

    /// <summary>Calls answered with an error status (the client did not leave first).</summary>
    public long FailedRequests { get; private set; }

    /// <summary>Calls the client left before the answer was complete.</summary>
    public long AbortedRequests { get; private set; }

    public long PromptTokens { get; private set; }

    public long CompletionTokens { get; private set; }

    public long CachedTokens { get; private set; }

    public decimal Cost { get; private set; }

    public void Add(UsageRecord record)
    {
        Requests++;
        if (record.Aborted)
        {
            AbortedRequests++;
        }
        else if (record.Status >= 400)
        {
            FailedRequests++;
        }

        PromptTokens += record.PromptTokens;
        CompletionTokens += record.CompletionTokens;
        CachedTokens += record.CachedTokens;
        Cost += record.Cost;
    }
}
