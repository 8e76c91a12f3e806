namespace SweepRunner.Plotting;

/// <summary>A rendered figure: the file name it is stored under and its PNG bytes.</summary>
public sealed record FigureFile(string Name, byte[] Png);
