"""Quality probes on the EMA weights, in PyTorch (the Java pipeline repeats them through ONNX Runtime):

  python3 evaluate.py [--guidance 3 5 7] [--seeds 8]

* colour steering: mean r,g,b share of "red heart", "green apple", "blue car" over the seeds;
* band structure: mean |vertical step| / mean |horizontal step| (horizontal stripes -> large) for
  banded flags versus faces.
"""
import argparse
import os

import torch

from common import MODEL_DIR, WordTokenizer, ckpt, euler_sample
from train import build_unet_models, load_vae


def band_ratio(imgs):
    dv = (imgs[:, :, 1:, :] - imgs[:, :, :-1, :]).abs().mean(dim=(1, 2, 3))
    dh = (imgs[:, :, :, 1:] - imgs[:, :, :, :-1]).abs().mean(dim=(1, 2, 3))
    return dv / (dh + 1e-6)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--guidance", type=float, nargs="+", default=[3.0, 5.0, 7.0])
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    s = torch.load(ckpt("unet"))
    tok = WordTokenizer.load(os.path.join(MODEL_DIR, "tokenizer", "tokenizer.json"))
    te, unet = build_unet_models(len(tok))
    te.load_state_dict(s["ema_te"]); unet.load_state_dict(s["ema_unet"])
    te.eval(); unet.eval()
    _, dec = load_vae()
    colour = ["red heart", "green apple", "blue car"]
    flags = ["flag: Germany", "flag: Russia", "flag: Indonesia", "flag: Japan"]
    faces = ["grinning face", "cat face"]
    prompts = colour + flags + faces
    seeds = list(range(1000, 1000 + a.seeds))
    print(f"step {s['step']}")
    for g in a.guidance:
        imgs = euler_sample(unet, te, dec, tok, [p for p in prompts for _ in seeds],
                            [x for _ in prompts for x in seeds], s["scaling_factor"], steps=a.steps, guidance=g)
        imgs = ((imgs.clamp(-1, 1) + 1) / 2).reshape(len(prompts), len(seeds), 3, 64, 64)
        rgb = imgs.mean(dim=(3, 4))  # [P, S, 3]
        share = rgb / rgb.sum(dim=2, keepdim=True)
        line = [f"g={g}:"]
        for i, pr in enumerate(colour):
            m = share[i].mean(0)
            line.append(f"{pr} rgb-share ({m[0]:.3f},{m[1]:.3f},{m[2]:.3f})")
        ok = (share[0, :, 0].mean() > share[1:3, :, 0].mean(1).max()
              and share[1, :, 1].mean() > share[[0, 2], :, 1].mean(1).max()
              and share[2, :, 2].mean() > share[0:2, :, 2].mean(1).max())
        line.append(f"colour-order {'OK' if ok else 'FAIL'}")
        bands = {pr: band_ratio(imgs[len(colour) + i]).mean().item() for i, pr in enumerate(flags + faces)}
        line.append("band " + ", ".join(f"{k}={v:.2f}" for k, v in bands.items()))
        print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main()
