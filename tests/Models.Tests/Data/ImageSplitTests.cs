using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

public sealed class ImageSplitTests(BundledMnistFixture bundled) : IClassFixture<BundledMnistFixture>
{
    private ImageSplit Train => bundled.Dataset.Train;

    [Fact]
    public void Take_returns_the_first_images_and_labels()
    {
        var first = Train.Take(100);

        Assert.Equal(100, first.Count);
        Assert.Equal(100 * 784, first.RawPixels.Length);
        Assert.Equal(Train.Labels[..100], first.Labels);
        Assert.Equal(Train.RawPixels[..(100 * 784)], first.RawPixels);
        Assert.Equal(28, first.Rows);
        Assert.Equal(28, first.Columns);
    }

    [Fact]
    public void Take_of_at_least_count_returns_everything()
    {
        Assert.Equal(Train.Count, Train.Take(Train.Count).Count);
        Assert.Equal(Train.Count, Train.Take(int.MaxValue).Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Take_rejects_non_positive_counts(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Train.Take(count));
    }

    [Fact]
    public void Stratified_sample_takes_per_class_images_of_each_label_in_original_order()
    {
        var sample = Train.StratifiedSample(perClass: 50, seed: 7);

        Assert.Equal(Enumerable.Repeat(50, 10), sample.LabelCounts());
        Assert.Equal(500 * 784, sample.RawPixels.Length);

        // Every sampled image is a training image, and they come in ascending original index.
        var previous = -1;
        for (var i = 0; i < sample.Count; i++)
        {
            var index = IndexOf(sample, i, previous + 1);
            Assert.True(index > previous, $"sample image {i} is not after original image {previous}");
            Assert.Equal(Train.Labels[index], sample.Labels[i]);
            previous = index;
        }
    }

    [Fact]
    public void Stratified_sample_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        var a = Train.StratifiedSample(20, seed: 1);
        var b = Train.StratifiedSample(20, seed: 1);
        var c = Train.StratifiedSample(20, seed: 2);

        Assert.Equal(a.RawPixels, b.RawPixels);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.RawPixels, c.RawPixels);
    }

    [Fact]
    public void Stratified_sample_keeps_all_images_of_a_class_smaller_than_per_class()
    {
        var small = Train.Take(30);

        var sample = small.StratifiedSample(perClass: 1000, seed: 3);

        Assert.Equal(small.LabelCounts(), sample.LabelCounts());
        Assert.Equal(small.Labels, sample.Labels);
        Assert.Equal(small.RawPixels, sample.RawPixels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Stratified_sample_rejects_non_positive_per_class(int perClass)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Train.StratifiedSample(perClass, seed: 1));
    }

    [Fact]
    public void Label_counts_rejects_labels_outside_the_classes()
    {
        var split = new ImageSplit(new byte[3], [0, 1, 2], rows: 1, columns: 1);

        Assert.Equal([1, 1, 1], split.LabelCounts(3));
        Assert.Throws<InvalidOperationException>(() => split.LabelCounts(2));
    }

    /// <summary>Original index of sample image <paramref name="i"/>, searching from <paramref name="from"/>.</summary>
    private int IndexOf(ImageSplit sample, int i, int from)
    {
        var size = sample.PixelsPerImage;
        var image = sample.RawPixels.AsSpan(i * size, size);
        for (var j = from; j < Train.Count; j++)
        {
            if (Train.RawPixels.AsSpan(j * size, size).SequenceEqual(image))
            {
                return j;
            }
        }

        return -1;
    }
}
