using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SweepRunner.Bench;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Vae;
using SweepRunner.Models;
using static TorchSharp.torch;

// The models' matrix products through libtorch (docs/benchmarks.md, "Training against PyTorch"): for each model its
// parameters (names, shapes, count: what the PyTorch reference checks its own against) and every product of a training
// step at the batch size, timed alone, with the matmul floor of an epoch they add up to. Prints one JSON object.
// Usage: gemm-bench [--models mlp,cnn,cvae] [--threads T] [--train-images N] [--rounds R] [--shapes-only]
// As the product runs libtorch: with its OpenMP wait settings (a short spin, then sleep) unless the environment sets them.
TorchEnvironment.ApplyDefaults();
var defaults = new TrainingConfig();
string[] models = (Option("--models") ?? "mlp,cnn,cvae").Split(',');
int threads = Integer("--threads", 2);
int trainImages = Integer("--train-images", 60_000);
int rounds = Integer("--rounds", 5);
bool shapesOnly = args.Contains("--shapes-only");
set_num_threads(threads);
var timer = new GemmTimer(rounds, roundSeconds: 0.05);

var result = new JsonObject
{
    ["threads"] = get_num_threads(),
    ["batch_size"] = defaults.BatchSize,
    ["latent_dim"] = defaults.LatentDim,
    ["train_images"] = trainImages,
};
var modelsJson = new JsonObject();
foreach (string name in models)
{
    var kind = Enum.Parse<ModelKind>(name, ignoreCase: true);
    using var generator = new Generator(0);
    using var model = VariationalAutoencoder.Create(kind, defaults.LatentDim, generator);
    modelsJson[name] = Describe(model);
}
result["models"] = modelsJson;
Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return 0;

JsonObject Describe(VariationalAutoencoder model)
{
    var parameters = new JsonObject();
    foreach (var (name, parameter) in model.named_parameters()) parameters[name] = new JsonArray([.. parameter.shape.Select(d => (JsonNode)d)]);
    var gemms = TrainingStepGemms.Of(model, defaults.BatchSize);
    double flopsPerImage = gemms.Sum(g => g.Flops) / defaults.BatchSize;
    var described = new JsonObject
    {
        ["parameter_count"] = model.TrainableParameterCount,
        ["parameters"] = parameters,
        ["flops_per_image"] = flopsPerImage,
    };
    var gemmsJson = new JsonArray();
    double floor = 0;
    foreach (var gemm in gemms)
    {
        var entry = new JsonObject { ["layer"] = gemm.Layer, ["product"] = gemm.Product, ["m"] = gemm.M, ["k"] = gemm.K, ["n"] = gemm.N, ["flops"] = gemm.Flops };
        if (!shapesOnly)
        {
            double seconds = timer.Seconds(gemm);
            entry["seconds"] = seconds;
            entry["gflops"] = gemm.Flops / seconds / 1e9;
            // This product's share of an epoch: its time per batch, scaled from the batch to the epoch's images.
            floor += seconds * trainImages / defaults.BatchSize;
        }
        gemmsJson.Add(entry);
    }
    described["gemms"] = gemmsJson;
    if (!shapesOnly)
    {
        described["matmul_floor_seconds"] = floor;
        described["matmul_gflops"] = flopsPerImage * trainImages / floor / 1e9;
    }
    return described;
}

string? Option(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int Integer(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
