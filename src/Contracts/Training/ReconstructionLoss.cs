namespace SweepRunner.Contracts.Training;

/// <summary>Pixel reconstruction term of the ELBO, both scaled to 784 × the mean over pixels.</summary>
public enum ReconstructionLoss
{
    /// <summary>Binary cross-entropy (Bernoulli pixels), the book's default.</summary>
    Bce,

    /// <summary>Mean squared error (the book's <c>--mse</c>).</summary>
    Mse,
}
