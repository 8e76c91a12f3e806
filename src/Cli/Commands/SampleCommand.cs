using System.CommandLine;
using Spectre.Console;
using SweepRunner.Models.Figures;
using static SweepRunner.Cli.Commands.OptionParsing;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep sample</c>: the book's decoder test, digits decoded from z ~ N(0, I) with a checkpoint's decoder.</summary>
internal sealed class SampleCommand
{
    private readonly IAnsiConsole console;
    private readonly Option<string> checkpoint = CheckpointFigureRun.CheckpointOption();
    private readonly Option<int?> digit = Digit("With a cvae checkpoint: decode only this digit [default: each row cycles through 0-9]");
    private readonly Option<int> count = PositiveInteger("--n", "How many digits (10 to a row)", PriorSamples.DefaultCount);
    private readonly Option<int> seed = Seed("Seed of the prior samples");
    private readonly Option<string> output = CheckpointFigureRun.OutOption("PNG to write: the digits one pixel per pixel, 28 × 28 each");

    private SampleCommand(IAnsiConsole console) => this.console = console;

    public static Command Create(IAnsiConsole console) => new SampleCommand(console).Build();

    private Command Build()
    {
        var command = new Command("sample", "Decode digits from z ~ N(0, I) with a checkpoint's decoder (the book's decoder test)");
        Option[] options = [checkpoint, digit, count, seed, output];
        foreach (var option in options) command.Options.Add(option);
        command.SetAction(Run);
        return command;
    }

    private int Run(ParseResult parseResult)
    {
        var run = new CheckpointFigureRun(console, parseResult.InvocationConfiguration.Error);
        int? chosenDigit = parseResult.GetValue(digit);
        return run.Execute(parseResult.GetRequiredValue(checkpoint), chosenDigit, model =>
        {
            var samples = PriorSamples.Render(model, parseResult.GetValue(count), unchecked((ulong)parseResult.GetValue(seed)), chosenDigit);
            return [(parseResult.GetRequiredValue(output), samples.ToPng())];
        });
    }
}
