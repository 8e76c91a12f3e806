using SweepRunner.Models.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests.Optimizers;

/// <summary>The flat optimizers against TorchSharp's own, step for step, and through each other's saved state.</summary>
public sealed class FlatOptimizerTests
{
    // Sizes that leave a tail after the last whole vector, and a bias-like vector.
    private static readonly long[][] Shapes = [[37, 23], [23], [5, 3, 3, 3], [7]];
    // The MLP's: enough elements for libtorch's kernels and the flat Adam's passes to split them between threads.
    private static readonly long[][] MlpShapes = [[512, 784], [512], [2, 512], [2], [2, 512], [2], [512, 2], [512], [784, 512], [784]];
    private const int Steps = 25;

    [Theory]
    [InlineData("adam", false, true)]
    [InlineData("rmsprop", false, true)]
    [InlineData("adam", true, true)]
    [InlineData("rmsprop", true, true)]
    [InlineData("adam", false, false)]
    [InlineData("rmsprop", false, false)]
    [InlineData("adam", true, false)]
    [InlineData("rmsprop", true, false)]
    public void Steps_exactly_as_torchsharps_optimizer_does(string rule, bool mlpSized, bool onePass)
    {
        var shapes = mlpSized ? MlpShapes : Shapes;
        var reference = NewParameters(shapes);
        var flat = NewParameters(shapes);
        using var torchSharp = TorchSharpOptimizer(rule, reference);
        using var optimizer = FlatOptimizer(rule, flat, onePass);

        StepBoth(torchSharp, reference, optimizer, flat, steps: 0..Steps);

        AssertSame(reference, flat);
        Assert.Equal(Steps, optimizer.StepCount);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    public void Resumes_from_torchsharps_saved_state_and_saves_a_state_torchsharp_reads(string rule)
    {
        var reference = NewParameters();
        using var torchSharp = TorchSharpOptimizer(rule, reference);
        for (int step = 0; step < 5; step++)
        {
            SetGradients(reference, step);
            torchSharp.step();
        }

        // TorchSharp's state into a flat optimizer over the same weights; both go on stepping alike.
        var flat = NewParameters();
        CopyValues(reference, flat);
        using var optimizer = FlatOptimizer(rule, flat);
        optimizer.Load(Reader(writer => torchSharp.save_state_dict(writer)));
        Assert.Equal(5, optimizer.StepCount);
        StepBoth(torchSharp, reference, optimizer, flat, steps: 5..10);
        AssertSame(reference, flat);

        // And the flat state into TorchSharp's optimizer.
        var resumed = NewParameters();
        CopyValues(flat, resumed);
        using var again = TorchSharpOptimizer(rule, resumed);
        again.load_state_dict(Reader(optimizer.Save));
        StepBoth(again, resumed, optimizer, flat, steps: 10..11);
        AssertSame(resumed, flat);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_parameters_become_views_of_one_buffer_and_each_backward_brings_its_own_gradients(bool onePass)
    {
        var parameters = NewParameters();
        var before = parameters.Select(p => p.detach().clone()).ToList();
        using var optimizer = new FlatAdam(parameters, learningRate: 0.01, epsilon: 1e-7, onePass);

        for (int i = 0; i < parameters.Count; i++) Assert.True(before[i].allclose(parameters[i], rtol: 0, atol: 0));
        using (var stored = parameters[0].storage<float>()) Assert.Equal(parameters.Sum(p => p.numel()), stored.Count);
        Assert.All(parameters, p => Assert.Null(p.grad));
        BackwardOfSumOfSquares(parameters);
        optimizer.Update();
        Assert.All(parameters.Zip(before), pair => Assert.False(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));

        // Cleared, the next backward's gradients are its own: 2p of the updated p, not added to the last ones.
        optimizer.ClearGradients();
        Assert.All(parameters, p => Assert.Null(p.grad));
        BackwardOfSumOfSquares(parameters);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_update_without_gradients_says_which_parameter_lacks_one(bool onePass)
    {
        var parameters = NewParameters();
        using var optimizer = new FlatAdam(parameters, learningRate: 0.01, epsilon: 1e-7, onePass);
        using var loss = parameters[0].square().sum();
        loss.backward();

        var error = Assert.Throws<InvalidOperationException>(optimizer.Update);
        Assert.Contains("parameter 1 (shape [23]) has no gradient", error.Message);
    }

    [Fact]
    public void Update_cpu_buffers_in_one_pass_with_libtorchs_own_square_root()
    {
        // Without it the optimizers still step exactly, through tensor operations, but pass over memory six times.
        using var buffer = zeros(8);
        Assert.True(CpuUpdatePass.Supports(buffer), "MKL's VSSQRT_ was not found in libtorch_cpu: the CPU optimizers fall back to tensor operations");
        using var square = zeros(4, 4);
        using var view = square.t();
        Assert.False(CpuUpdatePass.Supports(view), "a non-contiguous buffer was accepted");
    }

    /// <summary>Back-propagates Σp² and checks that each parameter's gradient is then 2p.</summary>
    private static void BackwardOfSumOfSquares(List<Parameter> parameters)
    {
        using var loss = parameters.Select(p => p.square().sum()).Aggregate((a, b) => a + b);
        loss.backward();
        for (int i = 0; i < parameters.Count; i++)
        {
            using var expected = parameters[i].detach().mul(2);
            Assert.True(parameters[i].grad!.allclose(expected, rtol: 0, atol: 0), $"parameter {i}'s gradient is not 2p");
        }
    }

    /// <summary>Both optimizers step through <paramref name="steps"/> on the same gradients.</summary>
    private static void StepBoth(OptimizerHelper torchSharp, List<Parameter> reference, FlatParameterOptimizer optimizer, List<Parameter> flat, Range steps)
    {
        for (int step = steps.Start.Value; step < steps.End.Value; step++)
        {
            SetGradients(reference, step);
            torchSharp.step();
            optimizer.ClearGradients();
            SetGradients(flat, step);
            optimizer.Update();
        }
    }

    private static List<Parameter> NewParameters(long[][]? shapes = null)
    {
        using var generator = new Generator(7);
        return [.. (shapes ?? Shapes).Select(shape => new Parameter(randn(shape, generator: generator)))];
    }

    private static void SetGradients(List<Parameter> parameters, int step)
    {
        using var generator = new Generator(1000 + (ulong)step);
        foreach (var parameter in parameters)
        {
            using var gradient = randn(parameter.shape, generator: generator);
            if (parameter.grad is { } existing) existing.copy_(gradient);
            else parameter.grad = gradient.clone();
        }
    }

    private static void CopyValues(List<Parameter> from, List<Parameter> to)
    {
        using var noGrad = no_grad();
        foreach (var (source, target) in from.Zip(to)) target.copy_(source);
    }

    /// <summary>Bit for bit: the same operations with the same scalars round alike.</summary>
    private static void AssertSame(List<Parameter> expected, List<Parameter> actual)
    {
        foreach (var (e, a) in expected.Zip(actual))
        {
            using var difference = (e.detach() - a.detach()).abs().max();
            Assert.True(e.allclose(a, rtol: 0, atol: 0), $"differs by up to {difference.item<float>()}");
        }
    }

    private static OptimizerHelper TorchSharpOptimizer(string rule, List<Parameter> parameters) => rule == "adam"
        ? optim.Adam(parameters, lr: 0.01, eps: 1e-7)
        : optim.RMSProp(parameters, lr: 0.01, alpha: 0.9, eps: 1e-7);

    private static FlatParameterOptimizer FlatOptimizer(string rule, List<Parameter> parameters, bool onePass = true) => rule == "adam"
        ? new FlatAdam(parameters, learningRate: 0.01, epsilon: 1e-7, onePass)
        : new FlatRmsprop(parameters, learningRate: 0.01, alpha: 0.9, epsilon: 1e-7, onePass);

    private static BinaryReader Reader(Action<BinaryWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        stream.Position = 0;
        return new BinaryReader(stream);
    }
}
