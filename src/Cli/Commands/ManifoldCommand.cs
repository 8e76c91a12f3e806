using System.CommandLine;
using Spectre.Console;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Vae;
using static SweepRunner.Cli.Commands.OptionParsing;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep manifold</c>: the book's digit manifold over z ∈ [−4, 4]², decoded with a checkpoint's decoder.</summary>
internal sealed class ManifoldCommand
{
    private readonly IAnsiConsole console;
    private readonly Option<string> checkpoint = CheckpointFigureRun.CheckpointOption();
    private readonly Option<int?> digit = Digit("With a cvae checkpoint: draw only this digit's manifold [default: one file per digit, FILE-digit-D.png]");
    private readonly Option<string> output = CheckpointFigureRun.OutOption("PNG to write: 30 × 30 decoded digits with labelled axes (10 × 10 per digit for a cvae)");

    private ManifoldCommand(IAnsiConsole console) => this.console = console;

    public static Command Create(IAnsiConsole console) => new ManifoldCommand(console).Build();

    private Command Build()
    {
        var command = new Command("manifold", "Decode the digit manifold over a grid of z in [-4, 4]^2 with a checkpoint's decoder");
        Option[] options = [checkpoint, digit, output];
        foreach (var option in options) command.Options.Add(option);
        command.SetAction(Run);
        return command;
    }

    private int Run(ParseResult parseResult)
    {
        var run = new CheckpointFigureRun(console, parseResult.InvocationConfiguration.Error);
        int? chosenDigit = parseResult.GetValue(digit);
        string path = parseResult.GetRequiredValue(output);
        return run.Execute(parseResult.GetRequiredValue(checkpoint), chosenDigit, model =>
        {
            if (model.LatentDim < 2)
                throw new InputException($"--checkpoint: the manifold spans z[0] and z[1], but the model's latent dim is {model.LatentDim}");
            if (!model.IsConditional || chosenDigit is not null) return [(path, DigitManifold.Render(model, chosenDigit))];
            return [.. Enumerable.Range(0, VariationalAutoencoder.ClassCount).Select(d => (PerDigit(path, d), DigitManifold.Render(model, d)))];
        });
    }

    /// <summary>FILE.png → FILE-digit-D.png.</summary>
    private static string PerDigit(string path, int digit) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}-digit-{digit}{Path.GetExtension(path)}");
}
