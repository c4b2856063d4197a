using BenchmarkDotNet.Running;

// Every benchmark class, or those --filter picks: dotnet run -c Release --project bench/Synaxis.Bench.Micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Synaxis.Bench.Micro.SseParseBenchmarks).Assembly).Run(args);
