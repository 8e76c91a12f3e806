using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Contracts.Tests.Grains;

public sealed class EpochResultSerializationTests
{
    [Fact]
    public void An_epoch_report_crosses_the_wire_with_the_test_splits_latent_dimensions()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var sent = new EpochResult(Guid.NewGuid(), Guid.NewGuid(), 3, new EpochLosses(170, 165, 5), new EpochLosses(171, 166.5, 4.5), new EpochLatents([4.25, 0.25], 1));

        var received = serializer.Deserialize<EpochResult>(serializer.SerializeToArray(sent));

        Assert.NotNull(received);
        Assert.Equal(sent with { TestLatents = null }, received with { TestLatents = null });
        var latents = Assert.IsType<EpochLatents>(received.TestLatents);
        Assert.Equal([4.25, 0.25], latents.KlPerDimension);
        Assert.Equal(1, latents.ActiveUnits);
    }
}
