using System.CommandLine;
using Spectre.Console;
using SweepRunner.Models.Training;
using static SweepRunner.Cli.Commands.OptionParsing;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep train</c>: its options, their validation, and the hand-over to <see cref="TrainRun"/>.</summary>
internal sealed class TrainCommand
{
    private readonly IAnsiConsole console;

    private readonly TrainerParameterOptions parameters = new();

    private readonly Option<string?> output = new("--out")
    {
        Description = "Folder for checkpoint, metrics, config and samples [default: runs/<model>-<loss>-beta<B>-seed<S>]",
        HelpName = "DIR",
    };

    private readonly Option<string?> weights = new("--weights")
    {
        Description = "Checkpoint to resume, up to --epochs epochs in all (its config is used)",
        HelpName = "FILE",
    };

    private readonly Option<int?> digit = Digit("With --model cvae: draw the samples and the manifold of this digit only (digit-D.png, manifold-digit-D.png)");

    private readonly Option<int?> threads = OptionalInteger("--threads", "Torch CPU threads [default: torch's choice]", "T", 1, int.MaxValue, AtLeastOne);

    private readonly Option<string?> data = new("--data")
    {
        Description = "MNIST folder (four IDX files) [default: the bundled data/mnist]",
        HelpName = "FOLDER",
    };

    private readonly Option<int> iwaeSamples = PositiveInteger("--iwae-samples", "Importance samples per image for the IWAE bound", 50, "K");

    private readonly Option<int> iwaeExamples = PositiveInteger("--iwae-examples", "Test images the IWAE bound is estimated on", 1000);

    private readonly Option<int> collectEvery = new("--gc-every")
    {
        Description = "Force a .NET garbage collection every N batches, which returns libtorch's tensor memory (0: never)",
        HelpName = "N",
        DefaultValueFactory = _ => new TrainerOptions().CollectGarbageEveryBatches,
        CustomParser = result => ParseInteger(result, "--gc-every", 0, int.MaxValue, "an integer >= 0"),
    };

    private readonly Option<bool> profile = new("--profile")
    {
        Description = "Split each epoch's time into data, forward, backward, optimizer, evaluation, forced collections and the rest (seconds per epoch)",
    };

    private readonly Option<bool> json = new("--json")
    {
        Description = "Print the metrics as one JSON object instead of progress and tables",
    };

    private TrainCommand(IAnsiConsole console) => this.console = console;

    /// <summary>The <c>train</c> command, writing its progress and tables to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console) => new TrainCommand(console).Build();

    private Command Build()
    {
        var command = new Command("train", "Train one VAE on MNIST; write checkpoint, metrics.json, config.json and a sample grid");
        Option[] options = [.. parameters.Options, output, weights, digit, threads, data, iwaeSamples, iwaeExamples, collectEvery, profile, json];
        foreach (var option in options) command.Options.Add(option);
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(parseResult, cancellationToken)));
        return command;
    }

    private int Run(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var run = new TrainRun(ReadRequest(parseResult), console, parseResult.InvocationConfiguration.Error);
        return run.Execute(cancellationToken);
    }

    private TrainRequest ReadRequest(ParseResult parseResult) => new()
    {
        Config = parameters.ReadConfig(parseResult),
        GivenParameters = parameters.Given(parseResult),
        Weights = parseResult.GetValue(weights),
        Out = parseResult.GetValue(output),
        Digit = parseResult.GetValue(digit),
        Threads = parseResult.GetValue(threads),
        Data = parseResult.GetValue(data),
        IwaeSamples = parseResult.GetValue(iwaeSamples),
        IwaeExamples = parseResult.GetValue(iwaeExamples),
        TrainerOptions = new TrainerOptions
        {
            CollectGarbageEveryBatches = parseResult.GetValue(collectEvery),
            Profiler = parseResult.GetValue(profile) ? new EpochProfiler() : null,
        },
        Json = parseResult.GetValue(json),
    };
}
