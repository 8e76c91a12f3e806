namespace SweepRunner.Common;

/// <summary>A final metric of a trial that trials can be ranked by.</summary>
public enum TrialMetric
{
    /// <summary>Test negative ELBO (recon + β·KL).</summary>
    TestTotal,
    TestRecon,
    TestKl,

    /// <summary>Importance-weighted estimate of −log p(x) on the test set.</summary>
    IwaeNll,
    ActiveUnits,
}
