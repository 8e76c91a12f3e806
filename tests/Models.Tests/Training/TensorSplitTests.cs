using SweepRunner.Models.Tests.Data;
using SweepRunner.Models.Training;

namespace SweepRunner.Models.Tests.Training;

[Collection(MnistTrainingGroup.Name)]
public sealed class TensorSplitTests(BundledMnistFixture mnist)
{
    [Fact]
    public void Tensors_hold_the_scaled_pixels_and_labels_of_the_split()
    {
        var split = mnist.Dataset.Test.Take(300);
        using var tensors = TensorSplit.From(split);

        Assert.Equal(new long[] { 300, 784 }, tensors.Images.shape);
        Assert.Equal(split.ScaledPixels(), tensors.Images.data<float>().ToArray());
        Assert.Equal(split.Labels.Select(l => (long)l), tensors.Labels.data<long>().ToArray());
        Assert.Equal(new long[] { 300, 10 }, tensors.OneHotLabels.shape);
        Assert.Equal(split.Labels[7], tensors.OneHotLabels[7].argmax().item<long>());
    }
}
