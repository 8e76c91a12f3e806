using Spectre.Console;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Cli.Output;

/// <summary>The human-readable output of <c>sweep validate</c>: notices, a summary, and the trials or the parameter domains.</summary>
internal static class SweepPlanReport
{
    private const int ShortHashLength = 12;

    public static void Write(IAnsiConsole console, SweepPlan plan)
    {
        foreach (var notice in plan.Parsed.Notices) console.MarkupLineInterpolated($"[yellow]notice:[/] {notice}");

        var spec = plan.Spec;
        var size = plan.TrialCount is { } count ? $"{count} trial{(count == 1 ? "" : "s")}" : "no run_cap: trials until stopped";
        console.WriteLine($"{plan.File}: {spec.Name ?? "unnamed sweep"}, {spec.Method.LowerName()} search, {size}");
        if (spec.Metric is { } metric) console.WriteLine($"metric: {metric.Name} ({metric.Goal.LowerName()}{(metric.Target is { } target ? $", target {target}" : "")})");
        if (spec.EarlyTerminate is { } stopper) console.WriteLine($"early stopping: {stopper.Describe()}");
        console.Write(plan.Trials is { } trials ? TrialTable(trials) : DomainTable(spec.Parameters));
    }

    private static Table TrialTable(IReadOnlyList<TrialConfig> trials)
    {
        var table = new Table().Title("trials").Border(TableBorder.Simple);
        var names = trials[0].Values.Select(pair => pair.Key).ToList();
        table.AddColumn(new TableColumn("#").RightAligned());
        foreach (var name in names) table.AddColumn(Markup.Escape(name));
        table.AddColumn("hash");
        for (int i = 0; i < trials.Count; i++)
        {
            var cells = names.Select(name => Markup.Escape(trials[i][name].ToString()!)).Prepend($"{i + 1}").Append(trials[i].Hash[..ShortHashLength]);
            table.AddRow([.. cells]);
        }

        return table;
    }

    private static Table DomainTable(IReadOnlyList<SweepParameter> parameters)
    {
        var table = new Table().Title("parameters").Border(TableBorder.Simple);
        table.AddColumn("parameter");
        table.AddColumn("domain");
        foreach (var parameter in parameters) table.AddRow(Markup.Escape(parameter.Name), Markup.Escape(parameter.Domain.Describe()));
        return table;
    }
}
