using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests;

public sealed class NativeLoadTests
{
    [Fact]
    public void Linear_forward_backward_and_adam_step_change_the_weights()
    {
        torch.manual_seed(1);
        using var linear = nn.Linear(4, 3);
        using var optimizer = optim.Adam(linear.parameters(), lr: 0.1);
        using var before = linear.weight!.detach().clone();

        using var x = torch.randn(8, 4);
        using var y = linear.call(x);
        using var loss = y.pow(2).mean();
        loss.backward();
        Assert.NotNull(linear.weight.grad);
        Assert.True(linear.weight.grad!.abs().sum().item<float>() > 0);
        optimizer.step();

        Assert.False(before.allclose(linear.weight));
    }
}
