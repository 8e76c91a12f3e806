using ScottPlot;

namespace SweepRunner.Plotting;

/// <summary>
/// A figure's size in pixels and where its data area lies in it. Figures use fixed layouts, so that the same
/// figure always has the same size and a test or a report can find the plotted pixels.
/// </summary>
public readonly record struct FigureFrame(int Width, int Height, int DataLeft, int DataTop, int DataWidth, int DataHeight)
{
    public PixelRect DataRect => new(DataLeft, DataLeft + DataWidth, DataTop + DataHeight, DataTop);
}
