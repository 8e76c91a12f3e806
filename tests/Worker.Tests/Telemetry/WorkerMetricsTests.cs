using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SweepRunner.Worker.Telemetry;

namespace SweepRunner.Worker.Tests.Telemetry;

public sealed class WorkerMetricsTests
{
    [Fact]
    public void Busy_slots_epochs_and_threads_are_measured()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new WorkerMetrics(meters, Options.Create(new WorkerOptions { Slots = 3 }));
        var measured = new List<(string Instrument, double Value, string? Slot)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measured.Add((instrument.Name, value, SlotOf(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured.Add((instrument.Name, value, SlotOf(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured.Add((instrument.Name, value, SlotOf(tags))));
        listener.Start();

        var first = metrics.Busy();
        using (metrics.Busy())
        {
            metrics.EpochTrained(2, 12.5, 4800);
            metrics.LibtorchThreads(4);
            listener.RecordObservableInstruments();
        }
        first.Dispose();
        first.Dispose();
        listener.RecordObservableInstruments();

        Assert.Equal([3.0, 3.0], Values(measured, "sweeprunner_worker_slots"));
        Assert.Equal([2.0, 0.0], Values(measured, "sweeprunner_worker_slots_busy"));
        Assert.Equal([12.5], Values(measured, "sweeprunner_epoch_duration"));
        Assert.Equal(("2", 4800.0), measured.Where(m => m.Instrument == "sweeprunner_training_samples_per_second").Select(m => (m.Slot, m.Value)).First());
        Assert.Equal(4.0, Values(measured, "sweeprunner_libtorch_threads").First());
        Assert.True(Values(measured, "sweeprunner_worker_memory").First() > 0);
    }

    private static List<double> Values(IEnumerable<(string Instrument, double Value, string? Slot)> measured, string instrument) =>
        [.. measured.Where(m => m.Instrument == instrument).Select(m => m.Value)];

    private static string? SlotOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "slot") return tag.Value?.ToString();
        return null;
    }
}
