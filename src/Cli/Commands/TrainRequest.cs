using System.Globalization;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Training;

namespace SweepRunner.Cli.Commands;

/// <summary>What <c>sweep train</c> was asked to do, as parsed from its options.</summary>
internal sealed record TrainRequest
{
    // The options that also live in a checkpoint's config, and how to read each from a config.
    private static readonly (string Option, Func<TrainingConfig, object?> Value)[] CheckpointedOptions =
    [
        ("--model", c => c.Model),
        ("--loss", c => c.Loss),
        ("--beta", c => c.Beta),
        ("--latent-dim", c => c.LatentDim),
        ("--batch-size", c => c.BatchSize),
        ("--lr", c => c.LearningRate),
        ("--optimizer", c => c.EffectiveOptimizer),
        ("--seed", c => c.Seed),
        ("--train-limit", c => c.TrainLimit),
    ];

    /// <summary>The config the options describe (defaults filled in).</summary>
    public required TrainingConfig Config { get; init; }

    /// <summary>Names of the config options the user typed, as opposed to defaults.</summary>
    public required IReadOnlyCollection<string> ExplicitOptions { get; init; }

    public string? Weights { get; init; }
    public string? Out { get; init; }
    public int? Digit { get; init; }
    public int? Threads { get; init; }
    public string? Data { get; init; }
    public int IwaeSamples { get; init; }
    public int IwaeExamples { get; init; }
    public TrainerOptions TrainerOptions { get; init; } = new();
    public bool Json { get; init; }

    /// <summary>
    /// The config to run: the options' own, or the checkpoint's with the requested total epochs (never fewer
    /// than it already has). Throws <see cref="InputException"/> when a typed option contradicts the checkpoint
    /// or --digit does not fit the model.
    /// </summary>
    public TrainingConfig ResolveConfig(Checkpoint? checkpoint)
    {
        var config = checkpoint is null ? Config : ResumedConfig(checkpoint);
        OptionParsing.CheckDigitFits(Digit, config.Model, "--model cvae");
        return config;
    }

    /// <summary>The output folder: --out, else one named after the run's config.</summary>
    public string OutFolder(TrainingConfig config) =>
        Out ?? Path.Combine("runs", FormattableString.Invariant($"{Name(config.Model)}-{Name(config.Loss)}-beta{config.Beta}-seed{config.Seed}"));

    private TrainingConfig ResumedConfig(Checkpoint checkpoint)
    {
        var saved = checkpoint.Metadata.Config;
        foreach (var (option, value) in CheckpointedOptions.Where(o => ExplicitOptions.Contains(o.Option)))
        {
            string asked = Name(value(Config)), stored = Name(value(saved));
            if (asked != stored)
                throw new InputException($"{option}: the checkpoint {Weights} was trained with {stored}, but {asked} was given; leave {option} out to resume it");
        }

        return saved with { Epochs = Math.Max(Config.Epochs, checkpoint.Metadata.Epoch) };
    }

    private static string Name(object? value) => value switch
    {
        null => "none",
        Enum kind => kind.ToString().ToLowerInvariant(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none",
    };
}
