using SweepRunner.Models.Vae;

namespace SweepRunner.Models.Figures;

/// <summary>The check every figure that takes a digit makes.</summary>
internal static class DigitArgument
{
    public static void Check(int? digit)
    {
        if (digit is < 0 or >= VariationalAutoencoder.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(digit), digit, "digit must be 0–9");
    }
}
