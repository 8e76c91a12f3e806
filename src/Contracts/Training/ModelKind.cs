namespace SweepRunner.Contracts.Training;

/// <summary>The VAE architectures of the book's chapter.</summary>
public enum ModelKind
{
    /// <summary>784 → 512 → latent, latent → 512 → 784.</summary>
    Mlp,

    /// <summary>Two strided convolutions, Dense 16, and the mirrored transposed convolutions.</summary>
    Cnn,

    /// <summary>The CNN conditioned on the digit label (encoder channel and decoder input).</summary>
    Cvae,
}
