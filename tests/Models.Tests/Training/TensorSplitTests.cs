using SweepRunner.Models.Data;
using SweepRunner.Models.Tests.Data;
using SweepRunner.Models.Training;
using TorchSharp;

namespace SweepRunner.Models.Tests.Training;

[Collection(MnistTrainingGroup.Name)]
public sealed class TensorSplitTests(BundledMnistFixture mnist)
{
    [Fact]
    public void Tensors_hold_the_scaled_pixels_and_labels_of_the_split()
    {
        var split = mnist.Dataset.Test.Take(300);
        using var tensors = TensorSplit.From(split);

        Assert.Equal(300, tensors.Count);
        using var all = tensors.Slice(0, 300, conditional: false).Images;
        Assert.Equal(new long[] { 300, 784 }, all.shape);
        Assert.Equal(split.ScaledPixels(), all.data<float>().ToArray());
        Assert.Equal(split.Labels.Select(l => (long)l), tensors.Labels.data<long>().ToArray());
        Assert.Equal(new long[] { 300, 10 }, tensors.OneHotLabels.shape);
        Assert.Equal(split.Labels[7], tensors.OneHotLabels[7].argmax().item<long>());
    }

    [Fact]
    public void Selected_rows_are_the_scaled_pixels_and_one_hot_labels_of_those_images()
    {
        var split = mnist.Dataset.Test.Take(300);
        float[] scaled = split.ScaledPixels();
        using var tensors = TensorSplit.From(split);
        using var indices = torch.tensor(new long[] { 299, 0, 41 });

        var (images, labels) = tensors.Select(indices, conditional: true);
        using (images)
        using (labels)
        {
            float[] expected = [.. scaled.AsSpan(299 * 784, 784), .. scaled.AsSpan(0, 784), .. scaled.AsSpan(41 * 784, 784)];
            Assert.Equal(expected, images.data<float>().ToArray());
            Assert.Equal([split.Labels[299], split.Labels[0], split.Labels[41]], labels!.argmax(1).data<long>().ToArray().Select(l => (byte)l));
        }
        var (unconditional, none) = tensors.Select(indices, conditional: false);
        using (unconditional) Assert.Null(none);
    }

    [Fact]
    public void The_pixels_are_read_where_the_split_holds_them_not_copied()
    {
        // A split of its own: the shared fixture's arrays must stay as loaded.
        byte[] pixels = new byte[2 * 784];
        var split = new ImageSplit(pixels, [3, 4], 28, 28);
        using var tensors = TensorSplit.From(split);

        pixels[784 + 5] = 255;

        using var second = tensors.Slice(1, 1, conditional: false).Images;
        Assert.Equal(1f, second[0, 5].item<float>());
    }
}
