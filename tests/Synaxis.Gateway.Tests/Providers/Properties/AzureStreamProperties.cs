using System.Text;
using FsCheck.Xunit;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Gateway.Tests.Providers.OpenAICompatible;
using static Synaxis.Gateway.Tests.Providers.AzureOpenAI.AzureHarness;

namespace Synaxis.Gateway.Tests.Providers.Properties;

/// <summary>
/// Whatever Azure sends, its events reach the client byte for byte and in order, except the filter
/// annotations no OpenAI client expects; the stream ends complete only when Azure finished it, and a
/// complete stream always ends with usage, Azure's or an estimate.
/// </summary>
public sealed class AzureStreamProperties
{
    [Property(Arbitrary = [typeof(AzureScripts)], MaxTest = 300)]
    public void AnyEventSequence_RelaysAllButAnnotations_AndEndsWithUsageOrAFailure(AzureScript script)
    {
        var result = Provider(ReplayHandler.Sse(script.ToSse())).StreamAsync(Call(StreamRequest), CancellationToken.None).GetAwaiter().GetResult();
        var chunks = ProviderHarness.CollectAsync(result.Chunks!).GetAwaiter().GetResult();

        var relayed = chunks.Where(c => c.Failure is null && c.Usage?.IsEstimated != true).Select(c => Encoding.UTF8.GetString(c.Bytes));
        Assert.Equal(script.Events.Where(e => !e.IsAnnotation).Select(e => e.Json), relayed);
        Assert.All(chunks.Where(c => c.Failure is null), c => Assert.True(c.HasChoices || c.Usage is not null));
        Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Failure));
        if (script.Done || script.Events.Any(e => e.HasFinish))
        {
            Assert.Null(chunks[^1].Failure);
            Assert.Equal(!script.Events.Any(e => e.HasUsage), chunks[^1].Usage?.IsEstimated == true);
            Assert.NotNull(chunks.LastOrDefault(c => c.Usage is not null)?.Usage);
        }
        else
        {
            Assert.Equal(UpstreamFailureKind.Reset, chunks[^1].Failure?.Kind);
        }
    }
}
