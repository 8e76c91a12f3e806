namespace SweepRunner.Models.Tests;

/// <summary>
/// Tests that set libtorch's process-wide thread count (<c>torch.set_num_threads</c>) or check what a new thread starts
/// from: one at a time and apart from every other test. A new thread, anywhere in the process, takes whatever count
/// was set last: a thread-count test that checked it once saw 3, set meanwhile by a convolution test beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessThreadCountGroup
{
    public const string Name = "libtorch's process-wide thread count";
}
