namespace SweepRunner.Storage.Records;

/// <summary>
/// A row of <c>trial_figures</c>: one PNG the worker rendered when the trial ended (latent scatter, manifold, samples,
/// loss curves), with the SHA-256 it is verified against on read.
/// </summary>
public sealed class TrialFigureRecord
{
    public Guid TrialId { get; set; }

    /// <summary>The file name, e.g. <c>manifold.png</c>: a plain name (<see cref="FigureFileName"/>), safe in any folder.</summary>
    public required string Name { get; set; }

    public required byte[] Png { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Png"/>, taken when it was stored.</summary>
    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    public DateTime CreatedAt { get; set; }
}
