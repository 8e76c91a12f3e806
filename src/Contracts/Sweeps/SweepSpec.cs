using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps.EarlyStopping;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>A parsed, valid sweep: W&amp;B's keys that SweepRunner supports plus its own (docs/sweep-format.md).</summary>
public sealed class SweepSpec
{
    /// <summary>The shortest <see cref="TrialTimeout"/>: a limit below the coordinator's expiry pass could not be kept anyway.</summary>
    public static readonly TimeSpan MinTrialTimeout = TimeSpan.FromSeconds(1);

    public string? Name { get; init; }

    public string? Description { get; init; }

    public required SearchMethodKind Method { get; init; }

    /// <summary>Required by <see cref="SearchMethodKind.Bayes"/> and by early stopping; optional otherwise.</summary>
    public MetricSpec? Metric { get; init; }

    /// <summary>In declaration order, nested parameters flattened to dotted names.</summary>
    public required IReadOnlyList<SweepParameter> Parameters { get; init; }

    public EarlyStopper? EarlyTerminate { get; init; }

    /// <summary>
    /// The largest <see cref="RunCap"/>: as many trials as the largest grid. Every trial is a row of the store and a
    /// proposal the coordinator makes; a cap beyond this is a typo, or a file meant to exhaust the coordinator.
    /// </summary>
    public const int MaxRunCap = GridSearch.MaxTrials;

    /// <summary>
    /// The largest <see cref="WorkersHint"/>: the coordinator keeps that many trials open at once, each proposed and
    /// stored ahead of the workers, so the hint must stay within what a cluster can run.
    /// </summary>
    public const int MaxWorkersHint = 1_024;

    /// <summary>Most trials the sweep runs; null: all of a grid, no bound for random and bayes.</summary>
    public int? RunCap { get; init; }

    /// <summary>Dataset of every trial that does not set the <c>dataset</c> parameter.</summary>
    public string? Dataset { get; init; }

    /// <summary>Epochs of every trial that does not set the <c>epochs</c> parameter.</summary>
    public int? Epochs { get; init; }

    /// <summary>Training-set limit of every trial that does not set the <c>train_limit</c> parameter.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>How many workers the sweep would like; a scheduling hint, not part of any trial.</summary>
    public int? WorkersHint { get; init; }

    /// <summary>Which checkpoints of each trial stay stored; null: the coordinator's default.</summary>
    public CheckpointKeep? CheckpointKeep { get; init; }

    /// <summary>How long one attempt of a trial may run before it fails, class timeout; null: the coordinator's limit, if any.</summary>
    public TimeSpan? TrialTimeout { get; init; }

    /// <summary>The <see cref="WorkerTags"/> every trial needs (<c>requires: gpu</c>), normalized; empty: none.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>Whether compatible trials train packed as one model (<c>packing: auto</c>, <see cref="TrialPacking"/>); default off.</summary>
    public PackingMode Packing { get; init; } = PackingMode.Off;

    /// <summary>Every tag some trial of the sweep may need: the sweep's and those of every parameter value.</summary>
    public IReadOnlyList<string> AllRequiredTags =>
        WorkerTags.Normalize(Requires.Concat(Parameters.SelectMany(parameter => parameter.Requires.Values.SelectMany(tags => tags))));

    /// <summary>The tags a worker must carry to train <paramref name="trial"/>: the sweep's and those of the trial's parameter values.</summary>
    public IReadOnlyList<string> RequiredTags(TrialConfig trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var byValue = Parameters.SelectMany(parameter =>
            trial.TryGetValue(parameter.Name, out var value) && parameter.Requires.TryGetValue(value, out var tags) ? tags : []);
        return WorkerTags.Normalize(Requires.Concat(byValue));
    }

    /// <summary>The config of a trial with these parameter values, completed by the sweep-level keys it does not set.</summary>
    public TrialConfig CreateTrial(IEnumerable<KeyValuePair<string, ParameterValue>> parameterValues)
    {
        var values = parameterValues.ToList();
        void AddUnlessSet(string name, ParameterValue? value)
        {
            if (value is not null && !values.Exists(pair => pair.Key == name)) values.Add(new(name, value));
        }

        AddUnlessSet(TrainerParameterNames.Epochs, Epochs is { } epochs ? new IntegerValue(epochs) : null);
        AddUnlessSet(TrainerParameterNames.TrainLimit, TrainLimit is { } limit ? new IntegerValue(limit) : null);
        AddUnlessSet(TrainerParameterNames.Dataset, Dataset is { } dataset ? new StringValue(dataset) : null);
        return new TrialConfig(values);
    }
}
