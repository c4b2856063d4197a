using Synaxis.Bench.Measure;
using Synaxis.Bench.Processes;
using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench.Reporting;

/// <summary>The run's tables as Markdown, ready for bench/README.md: one table per scenario, then start-up and the goals.</summary>
internal static class MarkdownReport
{
    public static void Write(string path, IReadOnlyList<ScenarioResult> results, IReadOnlyList<StartupResult> startup, IReadOnlyList<Goal> goals)
    {
        using var output = new StreamWriter(path);
        output.WriteLine($"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores ({ProcFs.CpuModel()}), load average before the run {ProcFs.LoadAverage()}.");
        foreach (var result in results)
        {
            output.WriteLine();
            output.WriteLine($"**{result.Scenario.Describe()}**");
            output.WriteLine();
            Table(output, ResultTable.For(result));
        }

        if (startup.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("**(e) start-up: process start to the first streamed chat request answered in full; resident memory when idle**");
            output.WriteLine();
            Table(output, ResultTable.For(startup));
        }

        output.WriteLine();
        output.WriteLine("| scenario | goal | measured | |");
        output.WriteLine("|---|---|---|---|");
        foreach (var goal in goals)
        {
            output.WriteLine($"| ({goal.Scenario}) | {goal.Text} | {goal.Measured} | {goal.Met switch { true => "met", false => "**missed**", null => "n/a" }} |");
        }
    }

    private static void Table(TextWriter output, ResultTable table)
    {
        output.WriteLine("| | " + string.Join(" | ", table.Columns) + " |");
        output.WriteLine("|---|" + string.Concat(table.Columns.Select(_ => "---:|")));
        foreach (var (label, cells) in table.Rows)
        {
            output.WriteLine($"| {label} | {string.Join(" | ", cells)} |");
        }
    }
}
