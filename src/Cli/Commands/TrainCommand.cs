using System.CommandLine;
using Spectre.Console;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using static SweepRunner.Cli.Commands.OptionParsing;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep train</c>: its options, their validation, and the hand-over to <see cref="TrainRun"/>.</summary>
internal sealed class TrainCommand
{
    private readonly IAnsiConsole console;

    private readonly Option<string> model = new Option<string>("--model")
    {
        Description = "Architecture: the book's MLP, its CNN, or the CNN conditioned on the digit",
        DefaultValueFactory = _ => "mlp",
    }.AcceptOnlyFromAmong("mlp", "cnn", "cvae");

    private readonly Option<string> loss = new Option<string>("--loss")
    {
        Description = "Reconstruction loss: binary cross-entropy or mean squared error",
        DefaultValueFactory = _ => "bce",
    }.AcceptOnlyFromAmong("bce", "mse");

    private readonly Option<double> beta = PositiveNumber("--beta", "Weight of the KL term (1: the plain VAE)", "B", 1.0);

    private readonly Option<int> latentDim = PositiveInteger("--latent-dim", "Size of the latent space", 2);

    private readonly Option<int> epochs = PositiveInteger("--epochs", "Total epochs of the run (with --weights: including the checkpoint's)", 1);

    private readonly Option<int> batchSize = PositiveInteger("--batch-size", "Training batch size", TrainingConfig.DefaultBatchSize);

    private readonly Option<double> learningRate = PositiveNumber("--lr", "Learning rate", "RATE", TrainingConfig.DefaultLearningRate);

    private readonly Option<string?> optimizer = new Option<string?>("--optimizer")
    {
        Description = "Optimizer [default: the book's: adam for mlp, rmsprop otherwise]",
    }.AcceptOnlyFromAmong("adam", "rmsprop");

    private readonly Option<int> seed = Seed("Seed of every random draw of the run");

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

    private readonly Option<int?> trainLimit = OptionalInteger("--train-limit", "Train on the first N training images only", "N", 1, int.MaxValue, AtLeastOne);

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
        Option[] options = [model, loss, beta, latentDim, epochs, batchSize, learningRate, optimizer, seed, output, weights, digit, trainLimit, threads, data, iwaeSamples, iwaeExamples, collectEvery, json];
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
        Config = ReadConfig(parseResult),
        ExplicitOptions = [.. new Option[] { model, loss, beta, latentDim, batchSize, learningRate, optimizer, seed, trainLimit }
            .Where(option => parseResult.GetResult(option) is { Implicit: false })
            .Select(option => option.Name)],
        Weights = parseResult.GetValue(weights),
        Out = parseResult.GetValue(output),
        Digit = parseResult.GetValue(digit),
        Threads = parseResult.GetValue(threads),
        Data = parseResult.GetValue(data),
        IwaeSamples = parseResult.GetValue(iwaeSamples),
        IwaeExamples = parseResult.GetValue(iwaeExamples),
        TrainerOptions = new TrainerOptions { CollectGarbageEveryBatches = parseResult.GetValue(collectEvery) },
        Json = parseResult.GetValue(json),
    };

    private TrainingConfig ReadConfig(ParseResult parseResult) => new()
    {
        Model = Enum.Parse<ModelKind>(parseResult.GetRequiredValue(model), ignoreCase: true),
        Loss = Enum.Parse<ReconstructionLoss>(parseResult.GetRequiredValue(loss), ignoreCase: true),
        Beta = parseResult.GetValue(beta),
        LatentDim = parseResult.GetValue(latentDim),
        Epochs = parseResult.GetValue(epochs),
        BatchSize = parseResult.GetValue(batchSize),
        LearningRate = parseResult.GetValue(learningRate),
        Optimizer = parseResult.GetValue(optimizer) is { } name ? Enum.Parse<OptimizerKind>(name, ignoreCase: true) : null,
        Seed = parseResult.GetValue(seed),
        TrainLimit = parseResult.GetValue(trainLimit),
    };
}
