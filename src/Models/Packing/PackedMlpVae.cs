using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Packing;

/// <summary>
/// K <see cref="MlpVae"/>s of one latent size as one module: each layer's weights stacked along a leading dimension
/// (<see cref="PackedLinear"/>), inputs and outputs [K, B, …]. K small products become one batched product per layer.
/// </summary>
/// <remarks>
/// The layers and their parameters carry <see cref="MlpVae"/>'s names in its order, so that member k's weights are
/// slot k of each parameter here, copied in and out by name (<see cref="CopyMemberTo"/>), and an optimizer's state over
/// these parameters splits into each member's in the same way.
/// </remarks>
public sealed class PackedMlpVae : nn.Module
{
    private readonly PackedLinear encoderHidden;
    private readonly PackedLinear zMean;
    private readonly PackedLinear zLogVar;
    private readonly PackedLinear decoderHidden;
    private readonly PackedLinear decoderOutput;

    /// <summary>Packs copies of the <paramref name="members"/>' weights; the members stay as they are.</summary>
    public PackedMlpVae(IReadOnlyList<MlpVae> members) : base("packed_vae_mlp")
    {
        if (members.Count == 0) throw new ArgumentException("no models to pack", nameof(members));
        LatentDim = members[0].LatentDim;
        if (members.Any(m => m.LatentDim != LatentDim))
            throw new ArgumentException($"packed models share one latent dim; found {string.Join(", ", members.Select(m => m.LatentDim).Distinct())}", nameof(members));
        Count = members.Count;
        encoderHidden = new PackedLinear(Count, VariationalAutoencoder.PixelCount, MlpVae.Hidden);
        zMean = new PackedLinear(Count, MlpVae.Hidden, LatentDim);
        zLogVar = new PackedLinear(Count, MlpVae.Hidden, LatentDim);
        decoderHidden = new PackedLinear(Count, LatentDim, MlpVae.Hidden);
        decoderOutput = new PackedLinear(Count, MlpVae.Hidden, VariationalAutoencoder.PixelCount);
        RegisterComponents();

        for (int member = 0; member < Count; member++) CopyMember(member, members[member], intoPacked: true);
    }

    /// <summary>Number of members, K.</summary>
    public int Count { get; }

    public int LatentDim { get; }

    /// <summary>Encodes images [K, B, 784] (for shared images, one batch expanded, not copied) to (μ, log σ²) [K, B, latent].</summary>
    public (Tensor Mean, Tensor LogVar) Encode(Tensor images)
    {
        using var hidden = nn.functional.relu(encoderHidden.call(images));
        return (zMean.call(hidden), zLogVar.call(hidden));
    }

    /// <summary>Decodes latents [K, B, latent] to pixel logits [K, B, 784].</summary>
    public Tensor DecodeLogits(Tensor latents)
    {
        using var hidden = nn.functional.relu(decoderHidden.call(latents));
        return decoderOutput.call(hidden);
    }

    /// <summary>Writes member <paramref name="member"/>'s weights into <paramref name="target"/>, an unpacked model of the same latent dim.</summary>
    public void CopyMemberTo(int member, MlpVae target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(member, Count);
        if (target.LatentDim != LatentDim)
            throw new ArgumentException($"a model of latent dim {target.LatentDim} cannot take a member of latent dim {LatentDim}", nameof(target));
        CopyMember(member, target, intoPacked: false);
    }

    private void CopyMember(int member, MlpVae model, bool intoPacked)
    {
        var packed = named_parameters().ToList();
        var single = model.named_parameters().ToList();
        if (!packed.Select(p => p.name).SequenceEqual(single.Select(p => p.name), StringComparer.Ordinal))
            throw new InvalidOperationException($"the packed parameters ({string.Join(", ", packed.Select(p => p.name))}) are not the model's ({string.Join(", ", single.Select(p => p.name))})");

        using var noGrad = no_grad();
        foreach (var ((_, stacked), (_, parameter)) in packed.Zip(single))
        {
            using var slot = stacked.select(0, member);
            if (intoPacked)
            {
                using var source = parameter.reshape(slot.shape);
                slot.copy_(source);
            }
            else
            {
                using var source = slot.reshape(parameter.shape);
                parameter.copy_(source);
            }
        }
    }
}
