namespace SweepRunner.Contracts.Sweeps;

/// <summary>A valid sweep and what was noticed while reading it (ignored W&amp;B keys, aliases).</summary>
public sealed record ParsedSweepSpec(SweepSpec Spec, IReadOnlyList<SpecNotice> Notices);
