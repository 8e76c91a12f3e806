using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Training;

namespace SweepRunner.Cli.Commands;

/// <summary>What <c>sweep train</c> was asked to do, as parsed from its options.</summary>
internal sealed record TrainRequest
{
    /// <summary>The config the options describe (defaults filled in).</summary>
    public required TrainingConfig Config { get; init; }

    /// <summary>The trainer parameters whose options the user typed, as opposed to left to their defaults.</summary>
    public required IReadOnlyCollection<TrainerParameter> GivenParameters { get; init; }

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
        // Every typed option but --epochs (the total to reach) must agree with the checkpoint; what the trainer derives
        // counts as given (--optimizer adam resumes an mlp checkpoint that left the optimizer to the book).
        foreach (var parameter in GivenParameters.Where(parameter => parameter != TrainerParameters.Epochs))
        {
            string asked = Name(parameter.ValueIn(Config.Resolved())), stored = Name(parameter.ValueIn(saved.Resolved()));
            if (asked != stored)
            {
                string option = TrainerParameterOptions.OptionName(parameter);
                throw new InputException($"{option}: the checkpoint {Weights} was trained with {stored}, but {asked} was given; leave {option} out to resume it");
            }
        }

        return saved with { Epochs = Math.Max(Config.Epochs, checkpoint.Metadata.Epoch) };
    }

    private static string Name(object? value) => value switch
    {
        null => "none",
        Enum kind => kind.LowerName(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none",
    };
}
