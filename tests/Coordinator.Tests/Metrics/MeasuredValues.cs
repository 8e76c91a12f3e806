using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace SweepRunner.Coordinator.Tests.Metrics;

/// <summary>
/// A meter factory of its own and a listener on its meters only (tests run side by side, each with its instruments):
/// <see cref="Observe"/> runs every observable instrument's callback and returns what they measured.
/// </summary>
public sealed class MeasuredValues : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener listener = new();
    private readonly List<Measured> measured = [];

    public MeasuredValues()
    {
        Meters = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == Meters) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    public IMeterFactory Meters { get; }

    public IReadOnlyList<Measured> Observe()
    {
        measured.Clear();
        listener.RecordObservableInstruments();
        return [.. measured];
    }

    public void Dispose()
    {
        listener.Dispose();
        services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        measured.Add(new Measured(instrument.Name, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value?.ToString() ?? "")));
}

/// <summary>One value an instrument measured, with its labels.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string> Labels)
{
    public string? this[string label] => Labels.GetValueOrDefault(label);
}
