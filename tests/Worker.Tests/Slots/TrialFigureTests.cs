using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SkiaSharp;
using SweepRunner.Contracts.Training;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>
/// A worker stores the figures of a trial it completes, before ending it: a one-epoch MLP trial on 500 images, trained
/// for real by a slot of a host composed as <c>sweep run</c> composes it (coordinator and worker, one SQLite store).
/// </summary>
public sealed class TrialFigureTests
{
    private const string OneTrial = "name: figures\nmethod: grid\nepochs: 1\ntrain_limit: 500\nparameters:\n  model:\n    value: mlp\n  latent_dim:\n    value: 2\n";

    // One slot trains β = 1 first, alone at both milestones (epochs 1 and 2); β = 100's first epoch, weighed down by
    // 100 × its KL, is then worse than every value at milestone 1, and hyperband stops it there.
    private const string OneStopped = """
        name: stopped
        method: grid
        epochs: 2
        train_limit: 500
        metric: {name: test.total, goal: minimize}
        early_terminate: {type: hyperband, min_iter: 1, eta: 2}
        parameters:
          model: {value: mlp}
          beta: {values: [1, 100]}
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_completed_trial_has_its_four_figures_stored_as_decodable_non_blank_pngs()
    {
        var (trial, figures) = await TrainOneTrialAsync(new VaeTrialTrainer(Options.Create(new WorkerOptions())));

        Assert.Equal(TrialStatus.Completed, trial.Status);
        Assert.Equal(["latent-scatter.png", "loss-curves.png", "manifold.png", "samples.png"], figures.Keys);
        AssertPng(figures["latent-scatter.png"], 880, 740);
        AssertPng(figures["loss-curves.png"], 1440, 420);
        AssertPng(figures["manifold.png"], 930, 940);
        AssertPng(figures["samples.png"], 280, 280);
    }

    [Fact]
    public async Task A_trial_stopped_early_by_the_sweep_has_its_figures_stored_too()
    {
        var trials = await RunSweepAsync(OneStopped, new VaeTrialTrainer(Options.Create(new WorkerOptions())));

        Assert.Equal([(TrialStatus.Completed, 2), (TrialStatus.Stopped, 1)], trials.Select(t => (t.Trial.Status, t.Trial.CurrentEpoch)));
        var stopped = trials[1].Figures;
        Assert.Equal(["latent-scatter.png", "loss-curves.png", "manifold.png", "samples.png"], stopped.Keys);
        AssertPng(stopped["manifold.png"], 930, 940);
    }

    [Fact]
    public async Task A_trial_whose_figures_fail_to_render_still_completes_without_figures()
    {
        var (trial, figures) = await TrainOneTrialAsync(new FiguresFailingTrainer(new VaeTrialTrainer(Options.Create(new WorkerOptions()))));

        Assert.Equal((TrialStatus.Completed, null), (trial.Status, trial.FailureReason));
        Assert.NotNull(trial.TestTotal);
        Assert.Empty(figures);
    }

    /// <summary>Runs the one-trial sweep with <paramref name="trainer"/>; returns the ended trial and its stored figures by name.</summary>
    private static async Task<(TrialRecord Trial, SortedDictionary<string, byte[]> Figures)> TrainOneTrialAsync(ITrialTrainer trainer) =>
        (await RunSweepAsync(OneTrial, trainer)).Single();

    /// <summary>Runs <paramref name="spec"/> to its end with <paramref name="trainer"/>; returns its trials in number order, each with its stored figures by name.</summary>
    private static async Task<IReadOnlyList<(TrialRecord Trial, SortedDictionary<string, byte[]> Figures)>> RunSweepAsync(string spec, ITrialTrainer trainer)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-figures-").FullName;
        try
        {
            using var host = EmbeddedSweepHost.Build(Path.Combine(folder, "store.db"), trainer);
            await host.StartAsync();
            var services = host.Services;
            var sweep = await services.GetRequiredService<SweepSubmissions>().SubmitAsync(spec, "figures.yaml");
            var trials = services.GetRequiredService<TrialStore>();
            var store = services.GetRequiredService<TrialFigureStore>();
            var ended = new List<(TrialRecord, SortedDictionary<string, byte[]>)>();
            foreach (var listed in (await trials.ListAsync(new TrialQuery(sweep.SweepId))).Trials)
            {
                var trial = await TrialEnd.WaitAsync(trials, listed.Id, Timeout);
                var figures = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var info in await store.ListAsync(trial.Id)) figures[info.Name] = (await store.GetAsync(trial.Id, info.Name))!.Png;
                ended.Add((trial, figures));
            }
            await host.StopAsync();
            return ended;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertPng(byte[] png, int width, int height)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        // A blank image is one colour; each figure has at least its digits, dots or lines on a background.
        Assert.True(bitmap.Pixels.Distinct().Count() > 10, $"a {width} × {height} figure of {bitmap.Pixels.Distinct().Count()} colours");
    }

    /// <summary>The VAE trainer, except that rendering the figures throws (as a missing native library would).</summary>
    private sealed class FiguresFailingTrainer(ITrialTrainer inner) : ITrialTrainer
    {
        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint) => new Run(inner.Open(trial, checkpoint));

        private sealed class Run(ITrialTraining inner) : ITrialTraining
        {
            public int CompletedEpochs => inner.CompletedEpochs;

            public int TotalEpochs => inner.TotalEpochs;

            public EpochReport TrainEpoch(CancellationToken cancellationToken) => inner.TrainEpoch(cancellationToken);

            public byte[] CreateCheckpoint() => inner.CreateCheckpoint();

            public LatentAnalysis Analyze() => inner.Analyze();

            public SplitLosses EvaluateTest() => inner.EvaluateTest();

            public IReadOnlyList<FigureFile> RenderFigures() => throw new DllNotFoundException("libSkiaSharp");

            public void Dispose() => inner.Dispose();
        }
    }
}
