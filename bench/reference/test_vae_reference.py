"""The PyTorch reference is SweepRunner's models: the same parameters, by name and shape, as gemm-bench prints for them.

Run by bench/against-pytorch.sh before it times anything (with --quick too); alone:
/usr/bin/python3 -m unittest discover -s bench/reference (after the solution's build).
"""

import json
import math
import os
import subprocess
import unittest

import torch

import vae_reference

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEMM_BENCH_DLL = os.path.join(ROOT, "bench/GemmBench/bin/Release/net10.0/linux-x64/gemm-bench.dll")


class ReferenceModelsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        output = subprocess.run(["dotnet", GEMM_BENCH_DLL, "--shapes-only"], capture_output=True, text=True, check=True)
        cls.sweeprunner = json.loads(output.stdout)

    def test_parameters_are_sweeprunners_by_name_and_shape(self):
        latent_dim = self.sweeprunner["latent_dim"]
        for kind, described in self.sweeprunner["models"].items():
            with self.subTest(model=kind):
                model = vae_reference.create_model(kind, latent_dim)
                self.assertEqual(described["parameters"], vae_reference.parameter_shapes(model))
                self.assertEqual(described["parameter_count"], sum(p.numel() for p in model.parameters()))

    def test_initialisation_is_glorot_uniform_with_zero_biases(self):
        model = vae_reference.create_model("cnn", 2)
        weight = model.decoderConv1.weight  # ConvTranspose2d [in, out, kh, kw]: fan_in + fan_out = (64 + 64) x 9
        self.assertLessEqual(weight.abs().max().item(), math.sqrt(6 / (128 * 9)))
        self.assertGreater(weight.abs().max().item(), 0.9 * math.sqrt(6 / (128 * 9)))
        self.assertEqual(model.decoderConv1.bias.abs().sum().item(), 0)

    def test_every_model_decodes_a_batch_to_its_pixels(self):
        labels = torch.nn.functional.one_hot(torch.arange(4) % 10, 10).float()
        for kind in ("mlp", "cnn", "cvae"):
            with self.subTest(model=kind):
                model = vae_reference.create_model(kind, 2)
                images = torch.rand(4, 784)
                conditioned = labels if model.conditional else None
                mean, _ = model.encode(images, conditioned)
                self.assertEqual((4, 2), tuple(mean.shape))
                self.assertEqual((4, 784), tuple(model.decode_logits(mean, conditioned).shape))

if __name__ == "__main__":
    unittest.main()
