using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

/// <summary>
/// A sweep's <c>dataset</c> is opened on the worker hosts only below the dataset roots: after <c>..</c> and symbolic
/// links are resolved, and at a path-component boundary.
/// </summary>
public sealed class DatasetRootsTests : IDisposable
{
    private readonly TempDirectory temp = new();

    private readonly string bundled;

    private readonly string data;

    public DatasetRootsTests()
    {
        bundled = Directory.CreateDirectory(temp.File("repo/data/mnist")).FullName;
        data = Directory.CreateDirectory(temp.File("data")).FullName;
        Directory.CreateDirectory(Path.Combine(data, "fashion"));
        Directory.CreateDirectory(temp.File("data-evil"));
        Directory.CreateDirectory(temp.File("secret"));
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("mnist")]
    public void The_bundled_mnist_is_the_default_and_mnist(string? dataset) =>
        Assert.Equal(bundled, Roots(configured: null).FolderOf(dataset));

    [Fact]
    public void A_folder_below_a_configured_root_is_that_folder()
    {
        var roots = Roots(configured: $"{data}; {temp.File("elsewhere")}");

        Assert.Equal(Path.Combine(data, "fashion"), roots.FolderOf(Path.Combine(data, "fashion")));
        Assert.Equal(data, roots.FolderOf(data + "/"));
        Assert.Equal([bundled, data, temp.File("elsewhere")], roots.Folders);
    }

    [Fact]
    public void Without_configured_roots_only_the_bundled_mnist_is_allowed()
    {
        var error = Assert.Throws<DatasetException>(() => Roots(configured: null).FolderOf(Path.Combine(data, "fashion")));

        Assert.Equal(
            $"{Path.Combine(data, "fashion")}: outside the dataset roots ({bundled}); a worker reads data sets only below them: add the folder to Worker:DatasetRoots (environment Worker__DatasetRoots, ;-separated)",
            error.Message);
    }

    [Fact]
    public void Dot_dot_out_of_a_root_is_refused_naming_the_resolved_folder()
    {
        var error = Assert.Throws<DatasetException>(() => Roots(data).FolderOf(Path.Combine(data, "..", "secret")));

        Assert.Equal(temp.File("secret"), error.FilePath);
    }

    [Fact]
    public void A_sibling_whose_name_starts_with_the_roots_is_not_inside_it() =>
        Assert.Throws<DatasetException>(() => Roots(data).FolderOf(temp.File("data-evil")));

    [Fact]
    public void A_symbolic_link_inside_a_root_that_leads_out_of_it_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(data, "escape"), "../secret");

        var error = Assert.Throws<DatasetException>(() => Roots(data).FolderOf(Path.Combine(data, "escape", "mnist")));

        Assert.Equal(Path.Combine(temp.File("secret"), "mnist"), error.FilePath);
    }

    [Fact]
    public void A_symbolic_link_outside_the_roots_that_leads_into_one_is_allowed()
    {
        Directory.CreateSymbolicLink(temp.File("shortcut"), Path.Combine(data, "fashion"));

        Assert.Equal(Path.Combine(data, "fashion"), Roots(data).FolderOf(temp.File("shortcut")));
    }

    [Fact]
    public void A_root_reached_through_a_link_is_resolved_too()
    {
        Directory.CreateSymbolicLink(temp.File("data-link"), data);

        Assert.Equal(Path.Combine(data, "fashion"), Roots(temp.File("data-link")).FolderOf(Path.Combine(data, "fashion")));
    }

    [Fact]
    public void A_loop_of_links_is_refused_rather_than_followed_forever()
    {
        Directory.CreateSymbolicLink(Path.Combine(data, "a"), Path.Combine(data, "b"));
        Directory.CreateSymbolicLink(Path.Combine(data, "b"), Path.Combine(data, "a"));

        var error = Assert.Throws<DatasetException>(() => Roots(data).FolderOf(Path.Combine(data, "a")));

        Assert.EndsWith("too many levels of symbolic links", error.Message, StringComparison.Ordinal);
    }

    private DatasetRoots Roots(string? configured) => DatasetRoots.FromConfiguration(configured, () => bundled);
}
