namespace SweepRunner.Models.Data;

/// <summary>The content of an unsigned-byte IDX file: its dimensions and its data, row-major.</summary>
/// <param name="Dimensions">Sizes from the header, outermost first.</param>
/// <param name="Data">Exactly the product of <paramref name="Dimensions"/> bytes.</param>
public sealed record IdxArray(int[] Dimensions, byte[] Data);
