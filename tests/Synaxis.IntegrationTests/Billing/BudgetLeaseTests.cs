using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Gateway.Billing.Reconciliation;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Hosting;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

/// <summary>
/// Budgets across instances: several <see cref="InstanceLeases"/> with their own names share one Azurite, as gateway
/// instances share one storage account.
/// </summary>
public sealed class BudgetLeaseTests
{
    [Fact]
    public async Task Two_instances_hammering_one_key_never_spend_more_than_its_credit_when_reservations_cover_each_call()
    {
        await using var storage = await SharedStorageAsync();
        var key = Key("key_hammer00001", prepaid: true);
        await storage.TopUpAsync(key.Id, 0.05m);
        var instances = new[] { storage.Instance("a"), storage.Instance("b") };
        const decimal maxCost = 0.001m;
        var admitted = 0;
        var spent = 0m;
        var gate = new object();

        // 16 concurrent callers per instance, each calling until refused; every call costs at most what it reserved.
        var callers = instances.SelectMany(leases => Enumerable.Range(0, 16).Select(async worker =>
        {
            var budget = new LeasedBudget(leases);
            var caller = new Caller(key.Id, key.Owner, key);
            for (var call = 0; ; call++)
            {
                var reservation = await budget.ReserveAsync(caller, $"{leases.Instance}-{worker}-{call}", maxCost, CancellationToken.None);
                if (!reservation.Admitted)
                {
                    Assert.Contains("prepaid credit", reservation.Reason, StringComparison.Ordinal);
                    return;
                }

                await leases.EnterAsync(key.Id, CancellationToken.None);
                var actual = maxCost * (call % 4 + 1) / 4;
                await budget.SettleAsync(caller, reservation, actual);
                leases.Exit(key.Id, actual);
                lock (gate)
                {
                    admitted++;
                    spent += actual;
                }
            }
        })).ToList();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var leases in instances)
        {
            await leases.FlushAsync(releaseAll: true, CancellationToken.None);
        }

        var balance = await storage.BalanceAsync(key.Id);
        Assert.True(balance.Spent <= balance.Credit, $"spent {balance.Spent} of {balance.Credit}");
        Assert.Equal(spent, balance.Spent);
        Assert.Equal(0m, balance.Leased);
        Assert.True(balance.Spent > balance.Credit / 2, $"only {balance.Spent} of {balance.Credit} could be spent in {admitted} calls");
        Assert.Empty(await storage.LeaseRowsAsync(key.Id));
    }

    [Fact]
    public async Task A_monthly_budget_refuses_once_spent_and_says_so()
    {
        await using var storage = await SharedStorageAsync();
        var key = Key("key_monthly0001", prepaid: false) with { MonthlyBudget = 0.002m };
        var leases = storage.Instance("m");
        var budget = new LeasedBudget(leases);
        var caller = new Caller(key.Id, key.Owner, key);

        var first = await budget.ReserveAsync(caller, "r1", 0.0015m, CancellationToken.None);
        Assert.True(first.Admitted);
        var second = await budget.ReserveAsync(caller, "r2", 0.0015m, CancellationToken.None);

        Assert.False(second.Admitted);
        Assert.Contains("monthly budget", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prepaid_key_without_credit_is_refused()
    {
        await using var storage = await SharedStorageAsync();
        var key = Key("key_nocredit001", prepaid: true);
        var budget = new LeasedBudget(storage.Instance("n"));

        var reservation = await budget.ReserveAsync(new Caller(key.Id, key.Owner, key), "r", 0.0001m, CancellationToken.None);

        Assert.False(reservation.Admitted);
        Assert.Contains("prepaid credit", reservation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_instance_lease_is_reconciled_once_from_the_ledger_even_by_concurrent_reconcilers()
    {
        await using var storage = await SharedStorageAsync();
        var key = Key("key_deadinst001", prepaid: true);
        await storage.TopUpAsync(key.Id, 1m);
        var dead = storage.Instance("dead");
        var budget = new LeasedBudget(dead);
        var caller = new Caller(key.Id, key.Owner, key);

        // One call settled and flushed, one settled but not flushed, three still streaming when the instance dies.
        var settledCosts = new[] { 0.01m, 0.02m };
        for (var i = 0; i < 5; i++)
        {
            var reservation = await budget.ReserveAsync(caller, $"call-{i}", 0.05m, CancellationToken.None);
            Assert.True(reservation.Admitted);
            await dead.EnterAsync(key.Id, CancellationToken.None);
            var record = new UsageRecord
            {
                RequestId = $"call-{i}", KeyId = key.Id, Model = "gpt-4", StartedAt = DateTimeOffset.UtcNow.AddSeconds(-5),
                PromptTokens = 1000, Streamed = true, Instance = dead.Instance,
            };
            if (i < settledCosts.Length)
            {
                record = record with { State = UsageState.Settled, Cost = settledCosts[i], Status = 200 };
                await budget.SettleAsync(caller, reservation, settledCosts[i]);
                dead.Exit(key.Id, settledCosts[i]);
            }

            await storage.Tables.Usage.UpsertEntityAsync(record.ToEntity());
            if (i == 0)
            {
                await dead.FlushAsync(releaseAll: false, CancellationToken.None);
            }
        }

        // The instance is gone: its lease expires unrenewed, and two reconcilers race for it.
        await Task.Delay(storage.Options.LeaseDuration + TimeSpan.FromMilliseconds(300));
        var reconcilers = new[] { storage.Reconciler(), storage.Reconciler() };
        await Task.WhenAll(reconcilers.Select(r => r.RunOnceAsync(CancellationToken.None)));
        await reconcilers[0].RunOnceAsync(CancellationToken.None);

        var rows = (await BillingSettings.UsageAsync(storage.Azurite, storage.Prefix)).Where(r => r.KeyId == key.Id).ToList();
        Assert.Equal(5, rows.Count);
        Assert.DoesNotContain(rows, r => r.State == UsageState.Pending);
        var interrupted = rows.Where(r => r.State == UsageState.Interrupted).ToList();
        Assert.Equal(3, interrupted.Count);
        Assert.All(interrupted, r => Assert.Equal(1000 * 2m / 1_000_000m, r.Cost)); // the prompt, at the input price
        var balance = await storage.BalanceAsync(key.Id);
        Assert.Equal(rows.Sum(r => r.Cost), balance.Spent);
        Assert.Equal(0m, balance.Leased);
        Assert.Empty(await storage.LeaseRowsAsync(key.Id));
    }

    private static IssuedKey Key(string id, bool prepaid) => new()
    {
        Id = id, Owner = "tests", Prefix = "sk-syn-test…", Hash = new byte[32], Prepaid = prepaid, CreatedAt = DateTimeOffset.UtcNow,
    };

    private static async Task<SharedStorage> SharedStorageAsync()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        var settings = BillingSettings.For(azurite, prefix, new Uri("http://127.0.0.1:9/"));
        settings["Synaxis:Billing:LeaseSlice"] = "0.002";
        settings["Synaxis:Billing:LeaseDuration"] = "00:00:01";
        settings["Synaxis:Billing:ReconcileInterval"] = "01:00:00"; // the tests run their reconcilers by hand
        var gateway = await GatewayServer.StartAsync(settings);
        return new SharedStorage(gateway, azurite, prefix);
    }

    private sealed class SharedStorage(GatewayServer gateway, Azurite azurite, string prefix) : IAsyncDisposable
    {
        public Azurite Azurite { get; } = azurite;

        public string Prefix { get; } = prefix;

        public BillingTables Tables => gateway.Services.GetRequiredService<BillingTables>();

        public BillingOptions Options => gateway.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Billing;

        public InstanceLeases Instance(string name) => new(Tables, Options, TimeProvider.System, $"{Prefix}-{name}");

        public Reconciler Reconciler() => ActivatorUtilities.CreateInstance<Reconciler>(gateway.Services);

        public async Task TopUpAsync(string keyId, decimal amount) =>
            await Tables.Counters.UpsertEntityAsync(new KeyBalance { KeyId = keyId, Credit = amount }.ToEntity());

        public async Task<KeyBalance> BalanceAsync(string keyId) =>
            KeyBalance.FromEntity((await Tables.Counters.GetEntityAsync<TableEntity>(keyId, KeyBalance.RowKey)).Value);

        public async Task<List<LeaseRow>> LeaseRowsAsync(string keyId)
        {
            var rows = new List<LeaseRow>();
            await foreach (var entity in Tables.Counters.QueryAsync<TableEntity>(e => e.PartitionKey == keyId && e.RowKey.CompareTo(LeaseRow.RowKeyPrefix) >= 0 && e.RowKey.CompareTo("lease}") < 0))
            {
                rows.Add(LeaseRow.FromEntity(entity));
            }

            return rows;
        }

        public ValueTask DisposeAsync() => gateway.DisposeAsync();
    }
}
