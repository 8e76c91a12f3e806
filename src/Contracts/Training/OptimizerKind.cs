namespace SweepRunner.Contracts.Training;

/// <summary>Optimizers the trainer offers, with Keras' hyper-parameters.</summary>
public enum OptimizerKind
{
    /// <summary>Adam, β₁ 0.9, β₂ 0.999, ε 1e-7 (the book's MLP).</summary>
    Adam,

    /// <summary>RMSprop, ρ 0.9, ε 1e-7 (the book's CNN and CVAE).</summary>
    Rmsprop,
}
