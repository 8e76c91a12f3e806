"""PyTorch reference of SweepRunner's three VAEs and its trainer, for timing against it (docs/benchmarks.md).

The same architectures (src/Models/Vae), parameter names included, so that their shapes can be compared one by one
with what bench/GemmBench prints; the same loss (VaeLoss: recon as 784 x the per-pixel mean of BCE from logits, or of
the squared error of the sigmoid, plus beta x KL, averaged over the batch); Keras' initialisation (Glorot-uniform
weights, zero biases); Adam with SweepRunner's lr, betas and eps; batch 128 over a fresh permutation every epoch; the
four MNIST IDX files of data/mnist scaled to [0, 1]. Each epoch's time covers its training loop only, as the
trainer's does; the test loss is measured once, after the last epoch, as a check that both sides optimise the same
objective.

Usage: vae_reference.py --model mlp|cnn|cvae [--epochs N] [--train-limit N] [--threads T] [--seed S] [--data DIR]
Prints one JSON object: parameters, per-epoch seconds and losses, the test loss, the BLAS library loaded.
"""

import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

PIXELS = 28 * 28
CLASSES = 10
LEARNING_RATE = 1e-3
ADAM_EPSILON = 1e-7  # SweepRunner's (Keras') epsilon, not PyTorch's 1e-8.
EVALUATION_CHUNK = 256


# The attribute names below are SweepRunner's field names on purpose (camelCase): parameter names then match exactly.
# pylint: disable=invalid-name


class MlpVae(nn.Module):
    """784 -> Dense 512 ReLU -> (mu, log sigma^2); z -> Dense 512 ReLU -> 784 logits (src/Models/Vae/MlpVae.cs)."""

    conditional = False

    def __init__(self, latent_dim):
        super().__init__()
        self.encoderHidden = nn.Linear(PIXELS, 512)
        self.zMean = nn.Linear(512, latent_dim)
        self.zLogVar = nn.Linear(512, latent_dim)
        self.decoderHidden = nn.Linear(latent_dim, 512)
        self.decoderOutput = nn.Linear(512, PIXELS)

    def encode(self, images, labels):
        hidden = F.relu(self.encoderHidden(images))
        return self.zMean(hidden), self.zLogVar(hidden)

    def decode_logits(self, latents, labels):
        return self.decoderOutput(F.relu(self.decoderHidden(latents)))


class ConvVae(nn.Module):
    """The CNN and, conditional, the CVAE, with Keras' "same" padding made explicit (src/Models/Vae/ConvVae.cs)."""

    def __init__(self, latent_dim, conditional):
        super().__init__()
        self.conditional = conditional
        if conditional:
            self.labelToChannel = nn.Linear(CLASSES, PIXELS)
        self.encoderConv1 = nn.Conv2d(2 if conditional else 1, 32, kernel_size=3, stride=2)
        self.encoderConv2 = nn.Conv2d(32, 64, kernel_size=3, stride=2)
        self.encoderDense = nn.Linear(64 * 7 * 7, 16)
        self.zMean = nn.Linear(16, latent_dim)
        self.zLogVar = nn.Linear(16, latent_dim)
        self.decoderDense = nn.Linear(latent_dim + (CLASSES if conditional else 0), 64 * 7 * 7)
        self.decoderConv1 = nn.ConvTranspose2d(64, 64, kernel_size=3, stride=2)
        self.decoderConv2 = nn.ConvTranspose2d(64, 32, kernel_size=3, stride=2)
        self.decoderOutput = nn.ConvTranspose2d(32, 1, kernel_size=3, stride=1, padding=1)

    def encode(self, images, labels):
        x = images.view(-1, 1, 28, 28)
        if self.conditional:
            x = torch.cat([x, self.labelToChannel(labels).view(-1, 1, 28, 28)], dim=1)
        # Keras "same" for k3 s2 on an even side: one row and column after, none before.
        x = F.relu(self.encoderConv1(F.pad(x, (0, 1, 0, 1))))
        x = F.relu(self.encoderConv2(F.pad(x, (0, 1, 0, 1))))
        hidden = F.relu(self.encoderDense(x.flatten(1)))
        return self.zMean(hidden), self.zLogVar(hidden)

    def decode_logits(self, latents, labels):
        x = torch.cat([latents, labels], dim=1) if self.conditional else latents
        x = F.relu(self.decoderDense(x)).view(-1, 64, 7, 7)
        # The transposed convolutions' "same": the unpadded output without its last row and column.
        x = F.relu(self.decoderConv1(x)[:, :, :-1, :-1])
        x = F.relu(self.decoderConv2(x)[:, :, :-1, :-1])
        return self.decoderOutput(x).flatten(1)


def create_model(kind, latent_dim):
    model = {"mlp": lambda: MlpVae(latent_dim),
             "cnn": lambda: ConvVae(latent_dim, conditional=False),
             "cvae": lambda: ConvVae(latent_dim, conditional=True)}[kind]()
    initialise_like_keras(model)
    return model


def initialise_like_keras(model):
    """Glorot-uniform weights, zero biases; fan_in + fan_out = (d0 + d1) x kh x kw for every layout here."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias"):
                parameter.zero_()
                continue
            receptive_field = math.prod(parameter.shape[2:])
            limit = math.sqrt(6.0 / ((parameter.shape[0] + parameter.shape[1]) * receptive_field))
            parameter.uniform_(-limit, limit)


def parameter_shapes(model):
    return {name: list(parameter.shape) for name, parameter in model.named_parameters()}


def reconstruction_per_sample(logits, targets, loss):
    if loss == "bce":
        per_pixel = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    else:
        per_pixel = (torch.sigmoid(logits) - targets).square()
    return per_pixel.mean(1) * PIXELS


def kl_per_sample(mean, log_var):
    return (-0.5 * (1 + log_var - mean.square() - log_var.exp())).sum(1)


def losses(model, images, labels, loss, beta, generator):
    """Batch means of recon, KL and the objective recon + beta x KL, with z drawn by the reparameterisation."""
    mean, log_var = model.encode(images, labels)
    z = mean + torch.exp(0.5 * log_var) * torch.randn(mean.shape, generator=generator)
    recon = reconstruction_per_sample(model.decode_logits(z, labels), images, loss).mean()
    kl = kl_per_sample(mean, log_var).mean()
    return recon, kl, recon + beta * kl


def read_idx(path):
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    dimensions = data[3]
    shape = struct.unpack(f">{dimensions}I", data[4:4 + 4 * dimensions])
    return torch.frombuffer(bytearray(data[4 + 4 * dimensions:]), dtype=torch.uint8).reshape(shape)


def load_split(folder, prefix):
    def path(kind):
        name = os.path.join(folder, f"{prefix}-{kind}")
        return name + ".gz" if os.path.exists(name + ".gz") else name

    images = read_idx(path("images-idx3-ubyte")).reshape(-1, PIXELS).to(torch.float32) / 255
    labels = F.one_hot(read_idx(path("labels-idx1-ubyte")).long(), CLASSES).to(torch.float32)
    return images, labels


def loaded_blas():
    """The BLAS shared libraries mapped into this process (Debian's torch links libblas.so.3, an alternative)."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if len(line.split()) >= 6}
    return sorted({os.path.realpath(p) for p in paths if "blas" in p.lower()})


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_images, train_labels = load_split(args.data, "train")
    test_images, test_labels = load_split(args.data, "t10k")
    if args.train_limit:
        train_images, train_labels = train_images[:args.train_limit], train_labels[:args.train_limit]

    model = create_model(args.model, args.latent_dim)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=ADAM_EPSILON)
    shuffle = torch.Generator().manual_seed(args.seed + 1)
    noise = torch.Generator().manual_seed(args.seed + 2)
    count = train_images.shape[0]
    epochs = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        started = time.perf_counter()
        recon_sum = kl_sum = 0.0
        order = torch.randperm(count, generator=shuffle)
        for start in range(0, count, args.batch_size):
            indices = order[start:start + args.batch_size]
            labels = train_labels[indices] if model.conditional else None
            recon, kl, loss = losses(model, train_images[indices], labels, args.loss, args.beta, noise)
            # Read each batch's losses as the trainer does (its divergence check and epoch means).
            loss_value = loss.item()
            if not math.isfinite(loss_value):
                raise SystemExit(f"diverged at epoch {epoch}: loss {loss_value}")
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            recon_sum += recon.item() * indices.shape[0]
            kl_sum += kl.item() * indices.shape[0]
        seconds = time.perf_counter() - started
        epochs.append({"epoch": epoch, "seconds": seconds, "samples_per_second": count / seconds,
                       "train": {"recon": recon_sum / count, "kl": kl_sum / count,
                                 "total": (recon_sum + args.beta * kl_sum) / count}})

    return {
        "model": args.model,
        "parameter_count": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "parameters": parameter_shapes(model),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": loaded_blas(),
        "train_images": count,
        "epochs": epochs,
        "test": evaluate(model, test_images, test_labels, args),
    }


def evaluate(model, images, labels, args):
    model.eval()
    noise = torch.Generator().manual_seed(args.seed + 3)
    totals = {"recon": 0.0, "kl": 0.0}
    with torch.no_grad():
        for start in range(0, images.shape[0], EVALUATION_CHUNK):
            chunk = images[start:start + EVALUATION_CHUNK]
            recon, kl, _ = losses(model, chunk, labels[start:start + EVALUATION_CHUNK] if model.conditional else None,
                                  args.loss, args.beta, noise)
            totals["recon"] += recon.item() * chunk.shape[0]
            totals["kl"] += kl.item() * chunk.shape[0]
    recon, kl = totals["recon"] / images.shape[0], totals["kl"] / images.shape[0]
    return {"recon": recon, "kl": kl, "total": recon + args.beta * kl}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", choices=["mlp", "cnn", "cvae"], required=True)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--train-limit", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latent-dim", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--beta", type=float, default=1.0)
    parser.add_argument("--loss", choices=["bce", "mse"], default="bce")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist"))
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(train(parse_arguments(sys.argv[1:]))))
