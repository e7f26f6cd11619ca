"""Train the demo model in two stages, each resumable:

  python3 train.py vae  [--minutes M] [--resume]   # f=4 autoencoder on all emoji (both styles)
  python3 train.py unet [--minutes M] [--resume]   # text encoder + UNet on cached VAE latents
  python3 train.py sample --out grid.png           # 8 prompts x 4 seeds from the EMA weights

Checkpoints (runs/<stage>/ckpt.pt) are written every --save-minutes and on exit; --resume
continues from the stored step, optimizer state and RNG state.
"""
import argparse
import math
import os
import signal
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from common import (ckpt, DATA, MODEL_DIR, NUM_TRAIN_TIMESTEPS, PAD_ID, PREDICTION_TYPE, RUNS, Decoder, Encoder,
                    TextEncoder, UNet, WordTokenizer, alphas_cumprod, euler_sample, load_json)

SEED = 1234
GRID_PROMPTS = ["red heart", "grinning face", "cat face", "flag: Japan", "green apple", "sun", "pizza", "blue car"]
GRID_SEEDS = [0, 1, 2, 3]


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


class EMA:
    def __init__(self, model, decay):
        self.decay = decay
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model, step):
        d = min(self.decay, (1 + step) / (10 + step))
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.shadow[k].copy_(v)


def save_ckpt(path, **state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # atomic: a kill during save never corrupts the last good checkpoint


def load_dataset():
    d = np.load(os.path.join(DATA, "dataset.npz"))
    return d["rgba"], d["style"], d["weight"], load_json(os.path.join(DATA, "captions.json"))["captions"]


def to_white(rgba):
    """uint8 RGBA [N,H,W,4] -> float [N,3,H,W] in [-1,1] composited on white (the documented background)."""
    x = torch.from_numpy(rgba).float().permute(0, 3, 1, 2) / 255.0
    a = x[:, 3:4]
    return (x[:, :3] * a + (1 - a)) * 2 - 1


def save_grid(imgs, path, cols):
    imgs = ((imgs.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
    n, h, w, _ = imgs.shape
    rows = math.ceil(n / cols)
    grid = np.full((rows * (h + 2), cols * (w + 2), 3), 255, np.uint8)
    for i, im in enumerate(imgs):
        r, c = divmod(i, cols)
        grid[r * (h + 2):r * (h + 2) + h, c * (w + 2):c * (w + 2) + w] = im
    Image.fromarray(grid).resize((grid.shape[1] * 2, grid.shape[0] * 2), Image.NEAREST).save(path)


class Stopper:
    """SIGTERM/SIGINT -> finish the current step, save, exit (so `kill PID` never loses progress)."""

    def __init__(self):
        self.stop = False
        signal.signal(signal.SIGTERM, self._h)
        signal.signal(signal.SIGINT, self._h)

    def _h(self, *_):
        self.stop = True


# ---------------------------------------------------------------- autoencoder

def vae_batch(rgba, idx, gen):
    """White-composited emoji plus light augmentation (coloured backgrounds, 2x2 mosaics, flips) so
    the autoencoder also reconstructs non-emoji inputs reasonably for image-to-image."""
    x = torch.from_numpy(rgba[idx]).float().permute(0, 3, 1, 2) / 255.0
    a, rgb = x[:, 3:4], x[:, :3]
    bg = torch.ones_like(rgb)
    coloured = torch.rand(len(idx), generator=gen) < 0.3
    bg[coloured] = torch.rand(int(coloured.sum()), 3, 1, 1, generator=gen)
    x = rgb * a + bg * (1 - a)
    mosaic = torch.rand(len(idx), generator=gen) < 0.2
    if mosaic.any():
        tiles = F.avg_pool2d(x[torch.randint(0, len(idx), (4 * int(mosaic.sum()),), generator=gen)], 2)
        tiles = tiles.reshape(-1, 4, 3, 32, 32)
        m = torch.cat([torch.cat([tiles[:, 0], tiles[:, 1]], 3), torch.cat([tiles[:, 2], tiles[:, 3]], 3)], 2)
        x[mosaic] = m
    flip = torch.rand(len(idx), generator=gen) < 0.5
    x[flip] = x[flip].flip(3)
    return x * 2 - 1


def train_vae(args):
    out = os.path.join(RUNS, "vae")
    os.makedirs(out, exist_ok=True)
    ckpt_path = ckpt(os.path.basename(out))
    rgba, _, _, _ = load_dataset()
    torch.manual_seed(SEED)
    enc, dec = Encoder(), Decoder()
    # --decoder-only: the encoder (and so the UNet's latent space) stays fixed, only the decoder improves.
    mode = "decoder" if args.decoder_only else "both"
    params = list(dec.parameters()) if args.decoder_only else list(enc.parameters()) + list(dec.parameters())
    log(f"vae ({mode}) params {sum(p.numel() for p in params) / 1e6:.2f}M, images {len(rgba)}")
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    ema_e, ema_d = EMA(enc, 0.995), EMA(dec, 0.995)
    step, gen = 0, torch.Generator().manual_seed(SEED)
    if args.resume and os.path.exists(ckpt_path):
        s = torch.load(ckpt_path)
        enc.load_state_dict(s["enc"]); dec.load_state_dict(s["dec"])
        ema_e.shadow, ema_d.shadow, step = s["ema_enc"], s["ema_dec"], s["step"]
        if s.get("mode", "both") == mode:
            opt.load_state_dict(s["opt"])
            gen.set_state(s["gen"]); torch.set_rng_state(s["torch_rng"])
        if args.decoder_only:
            enc.load_state_dict(s["ema_enc"])  # the latents the UNet was trained on
        log(f"resumed at step {step} ({mode})")
    if args.decoder_only:
        enc.eval().requires_grad_(False)
        if not args.resume:
            raise SystemExit("--decoder-only needs --resume (a trained encoder)")
        args.steps = max(args.steps, step + args.extra_steps)

    def save():
        save_ckpt(ckpt_path, enc=enc.state_dict(), dec=dec.state_dict(), opt=opt.state_dict(), mode=mode,
                  ema_enc=ema_e.shadow, ema_dec=ema_d.shadow, step=step, gen=gen.get_state(),
                  torch_rng=torch.get_rng_state())

    stopper, t0, last_save, run = Stopper(), time.time(), time.time(), 0.0
    while step < args.steps and not stopper.stop and time.time() - t0 < args.minutes * 60:
        idx = torch.randint(0, len(rgba), (args.batch,), generator=gen).numpy()
        x = vae_batch(rgba, idx, gen)
        lr = args.lr * min(1.0, (step + 1) / 300) * (0.5 * (1 + math.cos(math.pi * min(step / args.steps, 1.0))))
        for g in opt.param_groups:
            g["lr"] = lr
        if args.decoder_only:
            with torch.no_grad():
                z = enc(x)
        else:
            z = enc(x)
        # Noise-regularised latent: the decoder must tolerate small latent errors (diffusion samples
        # are never exact), and the L2 term keeps the latent scale bounded.
        zn = z + 0.1 * torch.randn(z.shape, generator=gen)
        y = dec(zn)
        rec = F.l1_loss(y, x) + F.mse_loss(y, x)
        loss = rec + 1e-3 * z.pow(2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if not args.decoder_only:
            ema_e.update(enc, step)
        ema_d.update(dec, step)
        step += 1
        run = 0.98 * run + 0.02 * rec.item() if step > 1 else rec.item()
        if step % 50 == 0:
            log(f"vae step {step} rec {run:.4f} zstd {z.std().item():.3f} lr {lr:.2e} "
                f"{(time.time() - t0) / 60:.1f} min")
        if time.time() - last_save > args.save_minutes * 60:
            save(); last_save = time.time()
    save()
    # Reconstruction preview with EMA weights.
    enc.load_state_dict(ema_e.shadow); dec.load_state_dict(ema_d.shadow)
    with torch.no_grad():
        x = to_white(rgba[np.arange(0, len(rgba), len(rgba) // 16)[:16]])
        y = dec(enc(x))
    save_grid(torch.cat([x, y]), os.path.join(out, "recon.png"), 16)
    log(f"vae done at step {step}; ema recon mse {F.mse_loss(y, x).item():.5f}")


# ---------------------------------------------------------------- UNet + text encoder

def build_unet_models(vocab_size):
    te = TextEncoder(vocab_size)
    return te, UNet(ctx_dim=te.dim)


def load_vae(ema=True):
    s = torch.load(ckpt("vae"))
    enc, dec = Encoder(), Decoder()
    enc.load_state_dict(s["ema_enc"] if ema else s["enc"])
    dec.load_state_dict(s["ema_dec"] if ema else s["dec"])
    return enc.eval(), dec.eval()


def cached_latents():
    """Deterministic (mean) latents of the white-composited images, plus the scaling factor that
    gives them unit std. Cached next to the VAE checkpoint."""
    path = os.path.join(RUNS, "vae", "latents.pt")
    vae_mtime = os.path.getmtime(ckpt("vae"))
    if os.path.exists(path) and os.path.getmtime(path) > vae_mtime:
        return torch.load(path)
    rgba, _, _, _ = load_dataset()
    enc, _ = load_vae()
    zs = []
    with torch.no_grad():
        for i in range(0, len(rgba), 256):
            zs.append(enc(to_white(rgba[i:i + 256])))
    z = torch.cat(zs)
    scaling = float(1.0 / z.std())
    torch.save({"latents": z, "scaling_factor": scaling, "mean": float(z.mean())}, path)
    log(f"cached {len(z)} latents, std {z.std().item():.4f} mean {z.mean().item():.4f} -> scaling {scaling:.5f}")
    return torch.load(path)


def train_unet(args):
    out = os.path.join(RUNS, "unet")
    os.makedirs(out, exist_ok=True)
    ckpt_path = ckpt(os.path.basename(out))
    _, _, weight, captions = load_dataset()
    lat = cached_latents()
    z_all, scaling = lat["latents"] * lat["scaling_factor"], lat["scaling_factor"]
    tok = WordTokenizer.load(os.path.join(MODEL_DIR, "tokenizer", "tokenizer.json"))
    # Pre-tokenize every caption once.
    cap_ids = [torch.tensor([tok.encode(c) for c in caps], dtype=torch.long) for caps in captions]
    # The CLDR label is listed first (and repeated) so it is drawn most often.
    probs = torch.from_numpy(weight / weight.sum()).double()
    torch.manual_seed(SEED)
    te, unet = build_unet_models(len(tok))
    params = list(te.parameters()) + list(unet.parameters())
    log(f"text encoder {sum(p.numel() for p in te.parameters()) / 1e6:.2f}M, unet "
        f"{sum(p.numel() for p in unet.parameters()) / 1e6:.2f}M params; {len(z_all)} latents, scaling {scaling:.4f}")
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    ema_t, ema_u = EMA(te, args.ema), EMA(unet, args.ema)
    step, gen = 0, torch.Generator().manual_seed(SEED)
    if args.resume and os.path.exists(ckpt_path):
        s = torch.load(ckpt_path)
        te.load_state_dict(s["te"]); unet.load_state_dict(s["unet"]); opt.load_state_dict(s["opt"])
        ema_t.shadow, ema_u.shadow, step = s["ema_te"], s["ema_unet"], s["step"]
        gen.set_state(s["gen"]); torch.set_rng_state(s["torch_rng"])
        log(f"resumed at step {step}")

    ac = alphas_cumprod().float()
    snr = ac / (1 - ac)
    # min-SNR-gamma loss weighting (Hang et al. 2023) for epsilon prediction: faster convergence.
    loss_w = torch.clamp(snr, max=5.0) / snr if PREDICTION_TYPE == "epsilon" else torch.clamp(snr, max=5.0) / (snr + 1)

    def save():
        save_ckpt(ckpt_path, te=te.state_dict(), unet=unet.state_dict(), opt=opt.state_dict(),
                  ema_te=ema_t.shadow, ema_unet=ema_u.shadow, step=step, gen=gen.get_state(),
                  torch_rng=torch.get_rng_state(), scaling_factor=scaling, vocab_size=len(tok))

    def sample(tag):
        t2, u2 = build_unet_models(len(tok))
        t2.load_state_dict(ema_t.shadow); u2.load_state_dict(ema_u.shadow)
        _, dec = load_vae()
        prompts = [p for p in GRID_PROMPTS for _ in GRID_SEEDS]
        seeds = [s for _ in GRID_PROMPTS for s in GRID_SEEDS]
        imgs = euler_sample(u2.eval(), t2.eval(), dec, tok, prompts, seeds, scaling, steps=20, guidance=args.guidance)
        # 8 prompts x 4 seeds laid out as 8 columns (one prompt per column), 4 rows (seeds).
        imgs = imgs.reshape(8, 4, 3, 64, 64).transpose(0, 1).reshape(32, 3, 64, 64)
        save_grid(imgs, os.path.join(out, f"samples_{tag}.png"), 8)
        save_grid(imgs, os.path.join(out, "latest.png"), 8)
        m = ((imgs.clamp(-1, 1) + 1) / 2).reshape(4, 8, 3, -1).mean(dim=(0, 3))
        log("sample colour means (r,g,b): " + "; ".join(
            f"{p}=({m[i, 0]:.2f},{m[i, 1]:.2f},{m[i, 2]:.2f})" for i, p in enumerate(GRID_PROMPTS)))

    stopper, t0 = Stopper(), time.time()
    last_save = last_sample = time.time()
    run, ntok = None, z_all.shape[0]
    while step < args.steps and not stopper.stop and time.time() - t0 < args.minutes * 60:
        idx = torch.multinomial(probs, args.batch, replacement=True, generator=gen)
        ids = torch.stack([cap_ids[i][torch.randint(0, len(cap_ids[i]), (1,), generator=gen).item()]
                           for i in idx.tolist()])
        drop = torch.rand(args.batch, generator=gen) < args.cfg_drop
        ids[drop] = PAD_ID  # unconditional = the tokenization of "" (all padding)
        x0 = z_all[idx]
        t = torch.randint(0, NUM_TRAIN_TIMESTEPS, (args.batch,), generator=gen)
        noise = torch.randn(x0.shape, generator=gen)
        a = ac[t].sqrt()[:, None, None, None]
        s = (1 - ac[t]).sqrt()[:, None, None, None]
        xt = a * x0 + s * noise
        target = noise if PREDICTION_TYPE == "epsilon" else a * noise - s * x0
        lr = args.lr * min(1.0, (step + 1) / 500)
        for g in opt.param_groups:
            g["lr"] = lr
        pred = unet(xt, t.float(), te(ids))
        loss = ((pred - target) ** 2).mean(dim=(1, 2, 3))
        loss = (loss * loss_w[t]).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema_t.update(te, step); ema_u.update(unet, step)
        step += 1
        run = loss.item() if run is None else 0.99 * run + 0.01 * loss.item()
        if step % 100 == 0:
            log(f"unet step {step} loss {run:.4f} lr {lr:.1e} {(time.time() - t0) / 60:.1f} min")
        if time.time() - last_save > args.save_minutes * 60:
            save(); last_save = time.time()
            log(f"checkpoint saved at step {step}")
        if time.time() - last_sample > args.sample_minutes * 60:
            sample(f"{step:06d}"); last_sample = time.time()
    save()
    log(f"unet stopped at step {step}; checkpoint saved")
    sample(f"{step:06d}")


def sample_cmd(args):
    s = torch.load(ckpt("unet"))
    tok = WordTokenizer.load(os.path.join(MODEL_DIR, "tokenizer", "tokenizer.json"))
    te, unet = build_unet_models(len(tok))
    te.load_state_dict(s["ema_te"]); unet.load_state_dict(s["ema_unet"])
    _, dec = load_vae()
    prompts = args.prompts.split("|") if args.prompts else GRID_PROMPTS
    seeds = list(range(args.seeds))
    imgs = euler_sample(unet.eval(), te.eval(), dec, tok, [p for p in prompts for _ in seeds],
                        [x for _ in prompts for x in seeds], s["scaling_factor"], steps=args.steps,
                        guidance=args.guidance)
    imgs = imgs.reshape(len(prompts), len(seeds), 3, 64, 64).transpose(0, 1).reshape(-1, 3, 64, 64)
    save_grid(imgs, args.out, len(prompts))
    log(f"wrote {args.out} (step {s['step']})")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("stage", choices=["vae", "unet", "sample"])
    p.add_argument("--resume", action="store_true")
    p.add_argument("--minutes", type=float, default=600)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--cfg-drop", type=float, default=0.1)
    p.add_argument("--guidance", type=float, default=5.0)
    p.add_argument("--save-minutes", type=float, default=5)
    p.add_argument("--sample-minutes", type=float, default=15)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--decoder-only", action="store_true", help="vae: fine-tune only the decoder")
    p.add_argument("--extra-steps", type=int, default=1500, help="vae --decoder-only: steps to add")
    p.add_argument("--out", default="grid.png")
    p.add_argument("--prompts", default=None, help="'|'-separated prompts for the sample stage")
    p.add_argument("--seeds", type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.stage == "vae":
        a.steps = a.steps or 6000
        a.lr = a.lr or 1e-3
        train_vae(a)
    elif a.stage == "unet":
        a.steps = a.steps or 10 ** 9
        a.lr = a.lr or 3e-4
        train_unet(a)
    else:
        a.steps = a.steps or 20
        sample_cmd(a)


if __name__ == "__main__":
    main()
