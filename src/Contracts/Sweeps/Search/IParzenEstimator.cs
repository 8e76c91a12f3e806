namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>A density fitted to the observed values of one parameter, which TPE draws from and compares.</summary>
internal interface IParzenEstimator<T>
{
    T Sample(Random random);

    double LogDensity(T value);
}
