using static TorchSharp.torch;

namespace SweepRunner.Models.Checkpoints;

/// <summary>
/// Room for a state that TorchSharp writes to a stream (a model's <c>save</c>, an optimizer's <c>save_state_dict</c>):
/// a stream given it from the start never grows, where a growing one copies what it holds at each doubling into fresh
/// memory that the kernel faults in page by page, which cost more than writing the state (the MLP's, 9.7 MB).
/// </summary>
internal static class SavedStateSize
{
    // Above each tensor's values: its name, type and shape, and for an optimizer the entry around it.
    private const long EntryBytes = 256;

    /// <summary>Bytes enough for <paramref name="tensors"/> and <paramref name="entries"/> entries that hold them.</summary>
    public static int Of(IReadOnlyCollection<Tensor> tensors, int entries) =>
        checked((int)(tensors.Sum(t => t.NumberOfElements * t.ElementSize) + ((entries + 1) * EntryBytes)));
}
