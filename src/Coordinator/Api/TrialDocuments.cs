using System.Text.Json;
using SweepRunner.Common;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// A trial: its config (as a JSON object), status, lease history and final metrics. A failed trial has its failure
/// class (<c>infrastructure</c>, <c>diverged</c>, <c>error</c>, <c>timeout</c>) and reason; a trial back in the queue
/// after an error keeps that error as its reason.
/// </summary>
public sealed record TrialSummary(
    Guid Id,
    Guid SweepId,
    int Number,
    JsonElement Config,
    string ConfigHash,
    string Status,
    int Attempt,
    int Epoch,
    string? Worker,
    double? TestTotal,
    double? TestRecon,
    double? TestKl,
    double? IwaeNll,
    int? ActiveUnits,
    string? FailureClass,
    string? FailureReason,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt)
{
    public static TrialSummary From(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new(trial.Id, trial.SweepId, trial.Number, ConfigOf(trial), trial.ConfigHash, trial.Status.LowerName(), trial.Attempt,
            trial.CurrentEpoch, trial.Worker, trial.TestTotal, trial.TestRecon, trial.TestKl, trial.IwaeNll, trial.ActiveUnits,
            trial.FailureClass?.LowerName(), trial.FailureReason, trial.CreatedAt, trial.StartedAt, trial.FinishedAt);
    }

    /// <summary>The trial's config as a JSON object (stored as its canonical JSON text).</summary>
    internal static JsonElement ConfigOf(TrialRecord trial)
    {
        using var config = JsonDocument.Parse(trial.ConfigJson);
        return config.RootElement.Clone();
    }
}

/// <summary>
/// A page of a sweep's trials. In number order, pass <see cref="NextPage"/> as <c>page</c> for the next one (null on
/// the last, and in any other order); <see cref="Total"/>: how many trials match the status filter; <see cref="Offset"/>:
/// where the page starts among them (null for a page asked for by <c>page</c>).
/// </summary>
public sealed record TrialPageDocument(IReadOnlyList<TrialSummary> Trials, int? NextPage, int Total, int? Offset);

/// <summary>A trial, its per-epoch metrics in epoch order, and its latest stored checkpoint (null while it has none).</summary>
public sealed record TrialDetail(TrialSummary Trial, IReadOnlyList<EpochDocument> Epochs, CheckpointDocument? Checkpoint);

/// <summary>A trial's latest checkpoint without its bytes: the epoch, SHA-256 and size, and where to download it.</summary>
public sealed record CheckpointDocument(int Epoch, string Sha256, long SizeBytes, string Url)
{
    public static CheckpointDocument From(Guid trialId, CheckpointInfo checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new(checkpoint.Epoch, checkpoint.Sha256, checkpoint.SizeBytes, $"/api/trials/{trialId}/checkpoint");
    }
}

/// <summary>A figure of a trial: its file name, size, and where to download it (relative to the API's address).</summary>
public sealed record TrialFigureDocument(string Name, long SizeBytes, string Url)
{
    /// <summary>The document of <paramref name="figure"/>; its name is a plain file name, so the URL needs no escaping.</summary>
    public static TrialFigureDocument From(Guid trialId, TrialFigureInfo figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return new(figure.Name, figure.SizeBytes, $"/api/trials/{trialId}/figures/{figure.Name}");
    }
}

/// <summary>
/// One split's losses after one epoch; for the test split also the mean KL of each latent dimension and the active
/// units (null on train rows, and for epochs stored before they were recorded).
/// </summary>
public sealed record EpochDocument(
    int Epoch,
    string Split,
    double Total,
    double Recon,
    double Kl,
    double Seconds,
    double SamplesPerSecond,
    IReadOnlyList<double>? KlPerDimension = null,
    int? ActiveUnits = null)
{
    public static EpochDocument From(EpochMetricRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Epoch, row.Split.LowerName(), row.Total, row.Recon, row.Kl, row.Seconds, row.SamplesPerSecond, row.KlPerDimension, row.ActiveUnits);
    }
}
