using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// The one rule of which trials train packed together: trials whose configs are equal but for β, training the MLP,
/// see the same batches in the same order and differ only in their loss weight (the packed trainer's condition). The
/// scheduler groups pending trials by this key, and <c>sweep run</c> counts its slots by it.
/// </summary>
public static class TrialPacking
{
    /// <summary>
    /// The config of <paramref name="trial"/> without β, as canonical JSON: trials with the same key pack. Null when
    /// the trial does not pack: not the MLP, or a config the trainer refuses (it fails alone, as it would unpacked).
    /// Every other name counts, the dataset and free-form parameters too, as written: two trials that would train
    /// alike only through a default written in one and left out in the other do not pack, which costs speed, never
    /// correctness.
    /// </summary>
    public static string? KeyOf(TrialConfig trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        try
        {
            var training = TrainerParameters.ToTrainingConfig(trial);
            training.Validate();
            if (training.Model != ModelKind.Mlp) return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }

        return new TrialConfig(trial.Values.Where(pair => pair.Key != TrainerParameterNames.Beta)).CanonicalJson;
    }

    /// <summary>The key of a stored trial's config (<see cref="TrialConfig.CanonicalJson"/>); null when it does not pack or cannot be read.</summary>
    public static string? KeyOf(string configJson)
    {
        try
        {
            return KeyOf(TrialConfig.FromCanonicalJson(configJson));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
