using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Output;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep validate FILE</c>: parses a sweep file and shows what it would run, running nothing.</summary>
internal sealed class ValidateCommand
{
    private readonly IAnsiConsole console;

    private readonly Argument<string> file = new("FILE")
    {
        Description = "Sweep file: YAML in W&B's sweep format (docs/sweep-format.md)",
    };

    private readonly Option<bool> json = new("--json")
    {
        Description = "Print the sweep and its trials as one JSON object instead of tables",
    };

    private ValidateCommand(IAnsiConsole console) => this.console = console;

    public static Command Create(IAnsiConsole console) => new ValidateCommand(console).Build();

    private Command Build()
    {
        var command = new Command("validate", "Check a sweep file and list the trials it expands to (the count for random and bayes), without running anything");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(file), parseResult.GetValue(json), parseResult.InvocationConfiguration.Error));
        return command;
    }

    private int Run(string path, bool asJson, TextWriter error)
    {
        if (SweepFile.TryRead(path, error) is not { } parsed || !SweepDatasets.TryCheck(path, parsed.Spec, error)) return ExitCodes.BadInput;

        // Only a grid knows its trials up front; the seed of random and bayes does not matter here.
        var plan = new SweepPlan(path, parsed, SearchMethods.For(parsed.Spec, seed: 0).ExpandAll());
        if (asJson) console.Profile.Out.Writer.WriteLine(plan.ToJson());
        else SweepPlanReport.Write(console, plan);
        return ExitCodes.Ok;
    }
}
