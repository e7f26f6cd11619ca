#!/usr/bin/python3
"""Quality cost of an int8 variant: the same prompts and seeds through both folders with ./pigment, then
PSNR and SSIM (skimage, Debian python3-skimage) of each int8 image against its float32 twin. For scale,
the same metrics between float32 images of the same prompt with different seeds (what "unrelated" scores).

Usage: /usr/bin/python3 bench/quantize/quality.py --models-dir DIR FP32_ID INT8_ID [--out DIR]
"""
import argparse
import os
import subprocess
import sys

import numpy as np
from skimage.io import imread
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

# The demo model's quality-grid prompts (models/demo/train/train.py GRID_PROMPTS).
PROMPTS = ["red heart", "grinning face", "cat face", "flag: Japan", "green apple", "sun", "pizza", "blue car"]
SEED = 1000


def generate(root, models_dir, model, prompt, out):
    cmd = [os.path.join(root, "pigment"), "generate", "--models-dir", models_dir, "--model", model,
           "--seed", str(SEED), "--batch", "2", "-q", "-o", out, prompt]
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models-dir", required=True)
    ap.add_argument("fp32")
    ap.add_argument("int8")
    ap.add_argument("--out", default="/tmp/pigment-quant-quality")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.makedirs(args.out, exist_ok=True)
    rows, unrelated = [], []
    for i, prompt in enumerate(PROMPTS):
        paths = {}
        for model in (args.fp32, args.int8):
            base = os.path.join(args.out, f"{model}-{i}.png")
            generate(root, args.models_dir, model, prompt, base)
            # --batch 2 writes NAME-1.png, NAME-2.png (seeds SEED, SEED+1)
            paths[model] = [base.replace(".png", f"-{k}.png") for k in (1, 2)]
        for k in range(2):
            a = imread(paths[args.fp32][k])[..., :3]
            b = imread(paths[args.int8][k])[..., :3]
            rows.append((peak_signal_noise_ratio(a, b), structural_similarity(a, b, channel_axis=2)))
        a, b = (imread(p)[..., :3] for p in paths[args.fp32])
        unrelated.append((peak_signal_noise_ratio(a, b), structural_similarity(a, b, channel_axis=2)))
    psnr, ssim = np.array(rows).T
    upsnr, ussim = np.array(unrelated).T
    print(f"int8 vs float32, {len(rows)} images: PSNR mean {psnr.mean():.2f} dB (min {psnr.min():.2f}), "
          f"SSIM mean {ssim.mean():.4f} (min {ssim.min():.4f})")
    print(f"float32, same prompt, other seed (unrelated images): PSNR mean {upsnr.mean():.2f} dB, "
          f"SSIM mean {ussim.mean():.4f}")


if __name__ == "__main__":
    sys.exit(main())
