using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Spectre.Console;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep train</c>: its options, their validation, and the hand-over to <see cref="TrainRun"/>.</summary>
internal sealed class TrainCommand
{
    private const string PositiveInteger = "an integer >= 1";
    private const string PositiveNumber = "a finite number > 0";

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

    private readonly Option<double> beta = new("--beta")
    {
        Description = "Weight of the KL term (1: the plain VAE)",
        HelpName = "B",
        DefaultValueFactory = _ => 1.0,
    };

    private readonly Option<int> latentDim = new("--latent-dim")
    {
        Description = "Size of the latent space",
        HelpName = "N",
        DefaultValueFactory = _ => 2,
    };

    private readonly Option<int> epochs = new("--epochs")
    {
        Description = "Total epochs of the run (with --weights: including the checkpoint's)",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<int> batchSize = new("--batch-size")
    {
        Description = "Training batch size",
        HelpName = "N",
        DefaultValueFactory = _ => TrainingConfig.DefaultBatchSize,
    };

    private readonly Option<double> learningRate = new("--lr")
    {
        Description = "Learning rate",
        HelpName = "RATE",
        DefaultValueFactory = _ => TrainingConfig.DefaultLearningRate,
    };

    private readonly Option<string?> optimizer = new Option<string?>("--optimizer")
    {
        Description = "Optimizer [default: the book's: adam for mlp, rmsprop otherwise]",
    }.AcceptOnlyFromAmong("adam", "rmsprop");

    private readonly Option<int> seed = new("--seed")
    {
        Description = "Seed of every random draw of the run",
        HelpName = "S",
        DefaultValueFactory = _ => 0,
    };

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

    private readonly Option<int?> digit = new("--digit")
    {
        Description = "With --model cvae: draw the samples of this digit (writes digit-D.png)",
        HelpName = "D",
    };

    private readonly Option<int?> trainLimit = new("--train-limit")
    {
        Description = "Train on the first N training images only",
        HelpName = "N",
    };

    private readonly Option<int?> threads = new("--threads")
    {
        Description = "Torch CPU threads [default: torch's choice]",
        HelpName = "T",
    };

    private readonly Option<string?> data = new("--data")
    {
        Description = "MNIST folder (four IDX files) [default: the bundled data/mnist]",
        HelpName = "FOLDER",
    };

    private readonly Option<int> iwaeSamples = new("--iwae-samples")
    {
        Description = "Importance samples per image for the IWAE bound",
        HelpName = "K",
        DefaultValueFactory = _ => 50,
    };

    private readonly Option<int> iwaeExamples = new("--iwae-examples")
    {
        Description = "Test images the IWAE bound is estimated on",
        HelpName = "N",
        DefaultValueFactory = _ => 1000,
    };

    private readonly Option<bool> json = new("--json")
    {
        Description = "Print the metrics as one JSON object instead of progress and tables",
    };

    private TrainCommand(IAnsiConsole console)
    {
        this.console = console;
        RequireFinitePositive(beta);
        RequireFinitePositive(learningRate);
        foreach (var option in new[] { latentDim, epochs, batchSize, iwaeSamples, iwaeExamples }) RequirePositive(option);
        foreach (var option in new[] { trainLimit, threads }) RequirePositive(option);
        digit.Validators.Add(RequireDigit);
    }

    /// <summary>The <c>train</c> command, writing its progress and tables to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console) => new TrainCommand(console).Build();

    private Command Build()
    {
        var command = new Command("train", "Train one VAE on MNIST; write checkpoint, metrics.json, config.json and a sample grid");
        Option[] options = [model, loss, beta, latentDim, epochs, batchSize, learningRate, optimizer, seed, output, weights, digit, trainLimit, threads, data, iwaeSamples, iwaeExamples, json];
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

    private static void RequireFinitePositive(Option<double> option) => option.Validators.Add(result =>
    {
        double value = result.GetValueOrDefault<double>();
        if (!double.IsFinite(value) || value <= 0) result.AddError(Invalid(option, value, PositiveNumber));
    });

    private static void RequirePositive(Option<int> option) => option.Validators.Add(result =>
    {
        int value = result.GetValueOrDefault<int>();
        if (value < 1) result.AddError(Invalid(option, value, PositiveInteger));
    });

    private static void RequirePositive(Option<int?> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int?>() is { } value && value < 1) result.AddError(Invalid(option, value, PositiveInteger));
    });

    private void RequireDigit(OptionResult result)
    {
        if (result.GetValueOrDefault<int?>() is { } value && value is < 0 or > 9) result.AddError(Invalid(digit, value, "a digit 0-9"));
    }

    private static string Invalid(Option option, object value, string expected) =>
        $"{option.Name}: {Convert.ToString(value, CultureInfo.InvariantCulture)} is not valid; expected {expected}";
}
