"""Shared pieces of the Pigment demo model: tokenizer mirror, networks, noise schedule, Euler sampler.

Everything here must stay byte-for-byte compatible with what export.py writes, because the Java
pipeline only sees the exported folder (tokenizer.json, scheduler_config.json, the four ONNX graphs).
"""
import json
import math
import os
import re
import unicodedata

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
RUNS = os.environ.get("PIGMENT_DEMO_RUNS", os.path.join(HERE, "runs"))
MODEL_DIR = os.path.dirname(HERE)

# Committed snapshots of the resumable checkpoints (runs/ is not in git). ckpt() falls back to them.
SNAPSHOTS = os.path.join(HERE, "checkpoints")

MAX_LEN = 16
PAD, UNK = "[PAD]", "[UNK]"
PAD_ID, UNK_ID = 0, 1

# Noise schedule declared in scheduler_config.json; training must use exactly this one.
NUM_TRAIN_TIMESTEPS = 1000
BETA_START, BETA_END, BETA_SCHEDULE = 0.00085, 0.012, "scaled_linear"
PREDICTION_TYPE = "epsilon"
TIMESTEP_SPACING = "trailing"

# ---------------------------------------------------------------- tokenizer

# HF tokenizers' Whitespace pre-tokenizer uses exactly this pattern (Unicode-aware \w in both).
_PRETOKENIZE = re.compile(r"\w+|[^\w\s]+")


def normalize(text):
    """Mirror of the tokenizer.json normalizer Sequence[NFKD, StripAccents, Lowercase]."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    return text.lower()


def pre_tokenize(text):
    return _PRETOKENIZE.findall(normalize(text))


class WordTokenizer:
    """Plain-Python twin of the exported WordLevel tokenizer.json (no special tokens added,
    pad to MAX_LEN with [PAD]=0, truncate to MAX_LEN)."""

    def __init__(self, vocab):
        self.vocab = dict(vocab)
        assert self.vocab[PAD] == PAD_ID and self.vocab[UNK] == UNK_ID

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f)["model"]["vocab"])

    def encode(self, text):
        ids = [self.vocab.get(w, UNK_ID) for w in pre_tokenize(text)][:MAX_LEN]
        return ids + [PAD_ID] * (MAX_LEN - len(ids))

    def __len__(self):
        return len(self.vocab)


def tokenizer_json(vocab):
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": MAX_LEN, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": MAX_LEN}, "direction": "Right", "pad_to_multiple_of": None,
                    "pad_id": PAD_ID, "pad_type_id": 0, "pad_token": PAD},
        "added_tokens": [
            {"id": PAD_ID, "content": PAD, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
            {"id": UNK_ID, "content": UNK, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": UNK},
    }


# ---------------------------------------------------------------- schedule

def alphas_cumprod():
    if BETA_SCHEDULE == "scaled_linear":
        betas = torch.linspace(BETA_START ** 0.5, BETA_END ** 0.5, NUM_TRAIN_TIMESTEPS, dtype=torch.float64) ** 2
    else:
        betas = torch.linspace(BETA_START, BETA_END, NUM_TRAIN_TIMESTEPS, dtype=torch.float64)
    return torch.cumprod(1.0 - betas, 0)


def euler_timesteps_sigmas(steps):
    """diffusers EulerDiscreteScheduler.set_timesteps for the declared spacing (no karras)."""
    ac = alphas_cumprod().numpy()
    import numpy as np
    sig_all = ((1 - ac) / ac) ** 0.5
    if TIMESTEP_SPACING == "trailing":
        ratio = NUM_TRAIN_TIMESTEPS / steps
        ts = (np.round(np.arange(NUM_TRAIN_TIMESTEPS, 0, -ratio)) - 1).astype(np.float32)
    else:
        ts = np.linspace(0, NUM_TRAIN_TIMESTEPS - 1, steps, dtype=np.float32)[::-1].copy()
    sig = np.interp(ts, np.arange(len(sig_all)), sig_all)
    sig = np.concatenate([sig, [0.0]]).astype(np.float32)
    return torch.from_numpy(ts), torch.from_numpy(sig)


@torch.no_grad()
def euler_sample(unet, text_encoder, decoder, tok, prompts, seeds, scaling_factor,
                 steps=20, guidance=5.0, size=16):
    """Text-to-image the way the diffusers Euler pipeline does it; returns images in [-1,1]."""
    ts, sig = euler_timesteps_sigmas(steps)
    ids = torch.tensor([tok.encode(p) for p in prompts], dtype=torch.long)
    unc = torch.tensor([tok.encode("")] * len(prompts), dtype=torch.long)
    ctx = text_encoder(torch.cat([unc, ids]))
    x = torch.stack([torch.randn(4, size, size, generator=torch.Generator().manual_seed(int(s))) for s in seeds])
    x = x * (sig.max() ** 2 + 1) ** 0.5
    for i, t in enumerate(ts):
        xin = torch.cat([x, x]) / (sig[i] ** 2 + 1) ** 0.5
        eps = unet(xin, t.repeat(xin.shape[0]), ctx)
        e_u, e_c = eps.chunk(2)
        eps = e_u + guidance * (e_c - e_u)
        x = x + eps * (sig[i + 1] - sig[i])
    return decoder(x / scaling_factor)


# ---------------------------------------------------------------- building blocks

def gn(c):
    return nn.GroupNorm(min(8, c // 4), c)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb=0):
        super().__init__()
        self.n1, self.c1 = gn(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.n2, self.c2 = gn(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.t = nn.Linear(temb, cout) if temb else None
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb=None):
        h = self.c1(F.silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(F.silu(temb))[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


def attention(q, k, v, heads):
    """Hand-written multi-head attention (torch 1.13 has no scaled_dot_product_attention to export)."""
    b, n, c = q.shape
    m = k.shape[1]
    d = c // heads
    q = q.reshape(b, n, heads, d).transpose(1, 2)
    k = k.reshape(b, m, heads, d).transpose(1, 2)
    v = v.reshape(b, m, heads, d).transpose(1, 2)
    w = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * (1.0 / math.sqrt(d)), dim=-1)
    return torch.matmul(w, v).transpose(1, 2).reshape(b, n, c)


class MHA(nn.Module):
    def __init__(self, c, ctx_dim=None, heads=4):
        super().__init__()
        ctx_dim = ctx_dim or c
        self.heads = heads
        self.q = nn.Linear(c, c, bias=False)
        self.k = nn.Linear(ctx_dim, c, bias=False)
        self.v = nn.Linear(ctx_dim, c, bias=False)
        self.o = nn.Linear(c, c)

    def forward(self, x, ctx=None):
        ctx = x if ctx is None else ctx
        return self.o(attention(self.q(x), self.k(ctx), self.v(ctx), self.heads))


class SpatialTransformer(nn.Module):
    """GroupNorm -> tokens -> [self-attn] -> cross-attn(text) -> MLP -> back to the feature map."""

    def __init__(self, c, ctx_dim, self_attn=True, heads=4):
        super().__init__()
        self.norm = gn(c)
        self.proj_in = nn.Linear(c, c)
        self.n1 = nn.LayerNorm(c) if self_attn else None
        self.a1 = MHA(c, heads=heads) if self_attn else None
        self.n2, self.a2 = nn.LayerNorm(c), MHA(c, ctx_dim, heads)
        self.n3 = nn.LayerNorm(c)
        self.ff = nn.Sequential(nn.Linear(c, 2 * c), nn.GELU(), nn.Linear(2 * c, c))
        self.proj_out = nn.Linear(c, c)
        nn.init.zeros_(self.proj_out.weight)
        nn.init.zeros_(self.proj_out.bias)

    def forward(self, x, ctx):
        b, c, h, w = x.shape
        t = self.proj_in(self.norm(x).flatten(2).transpose(1, 2))
        if self.a1 is not None:
            t = t + self.a1(self.n1(t))
        t = t + self.a2(self.n2(t), ctx)
        t = t + self.ff(self.n3(t))
        t = self.proj_out(t).transpose(1, 2).reshape(b, c, h, w)
        return x + t


# ---------------------------------------------------------------- text encoder

class TextEncoder(nn.Module):
    def __init__(self, vocab_size, dim=128, layers=3, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(1, MAX_LEN, dim) * 0.02)
        self.blocks = nn.ModuleList()
        for _ in range(layers):
            self.blocks.append(nn.ModuleDict(dict(
                n1=nn.LayerNorm(dim), attn=MHA(dim, heads=heads), n2=nn.LayerNorm(dim),
                ff=nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)))))
        self.norm = nn.LayerNorm(dim)
        self.dim = dim

    def forward(self, input_ids):
        x = self.tok(input_ids.long()) + self.pos
        for blk in self.blocks:
            x = x + blk["attn"](blk["n1"](x))
            x = x + blk["ff"](blk["n2"](x))
        return self.norm(x)


# ---------------------------------------------------------------- UNet

def timestep_embedding(t, dim):
    """Sinusoidal embedding of the (possibly fractional) timestep, as in DDPM / diffusers."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    a = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.cos(a), torch.sin(a)], dim=1)


class UNet(nn.Module):
    def __init__(self, ctx_dim=128, ch=(48, 96, 144), in_ch=4):
        super().__init__()
        c0, c1, c2 = ch
        te = 4 * c0
        self.c0 = c0
        self.time = nn.Sequential(nn.Linear(c0, te), nn.SiLU(), nn.Linear(te, te))
        # Mean-pooled text added to the time embedding: a cheap global channel that makes colour
        # words steer every ResBlock, not only the attention layers.
        self.pool = nn.Sequential(nn.Linear(ctx_dim, te), nn.SiLU(), nn.Linear(te, te))
        self.conv_in = nn.Conv2d(in_ch, c0, 3, padding=1)
        self.d0 = ResBlock(c0, c0, te)
        self.d0a = SpatialTransformer(c0, ctx_dim, self_attn=False)
        self.down0 = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.d1 = ResBlock(c0, c1, te)
        self.d1a = SpatialTransformer(c1, ctx_dim)
        self.down1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)
        self.d2 = ResBlock(c1, c2, te)
        self.d2a = SpatialTransformer(c2, ctx_dim)
        self.m1 = ResBlock(c2, c2, te)
        self.ma = SpatialTransformer(c2, ctx_dim)
        self.m2 = ResBlock(c2, c2, te)
        self.u2 = ResBlock(c2 + c2, c2, te)
        self.u2a = SpatialTransformer(c2, ctx_dim)
        self.up1 = nn.Conv2d(c2, c1, 3, padding=1)
        self.u1 = ResBlock(c1 + c1, c1, te)
        self.u1a = SpatialTransformer(c1, ctx_dim)
        self.up0 = nn.Conv2d(c1, c0, 3, padding=1)
        self.u0 = ResBlock(c0 + c0, c0, te)
        self.u0a = SpatialTransformer(c0, ctx_dim, self_attn=False)
        self.out = nn.Sequential(gn(c0), nn.SiLU(), nn.Conv2d(c0, in_ch, 3, padding=1))
        nn.init.zeros_(self.out[-1].weight)
        nn.init.zeros_(self.out[-1].bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        ctx = encoder_hidden_states
        # timestep may be [1] while the batch is 2B (diffusers ONNX pipeline): broadcasting handles it.
        emb = self.time(timestep_embedding(timestep, self.c0)) + self.pool(ctx.mean(dim=1))
        h0 = self.d0a(self.d0(self.conv_in(sample), emb), ctx)
        h1 = self.d1a(self.d1(self.down0(h0), emb), ctx)
        h2 = self.d2a(self.d2(self.down1(h1), emb), ctx)
        h = self.m2(self.ma(self.m1(h2, emb), ctx), emb)
        h = self.u2a(self.u2(torch.cat([h, h2], 1), emb), ctx)
        h = self.up1(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.u1a(self.u1(torch.cat([h, h1], 1), emb), ctx)
        h = self.up0(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.u0a(self.u0(torch.cat([h, h0], 1), emb), ctx)
        return self.out(h)


# ---------------------------------------------------------------- autoencoder (f=4)

VAE_CH = (24, 48, 64)  # block_out_channels: len-1 = 2 downsamples = f 4
LATENT_CH = 4


class Encoder(nn.Module):
    def __init__(self, ch=VAE_CH):
        super().__init__()
        a, b, c = ch
        self.net = nn.Sequential(
            nn.Conv2d(3, a, 3, padding=1), ResBlock(a, a),
            nn.Conv2d(a, a, 3, stride=2, padding=1), ResBlock(a, b),
            nn.Conv2d(b, b, 3, stride=2, padding=1), ResBlock(b, c), ResBlock(c, c),
            gn(c), nn.SiLU(), nn.Conv2d(c, LATENT_CH, 3, padding=1))

    def forward(self, sample):
        return self.net(sample)


class Upsample(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Decoder(nn.Module):
    def __init__(self, ch=VAE_CH):
        super().__init__()
        a, b, c = ch
        self.net = nn.Sequential(
            nn.Conv2d(LATENT_CH, c, 3, padding=1), ResBlock(c, c), ResBlock(c, c),
            Upsample(c, b), ResBlock(b, b),
            Upsample(b, a), ResBlock(a, a),
            gn(a), nn.SiLU(), nn.Conv2d(a, 3, 3, padding=1))

    def forward(self, latent_sample):
        return self.net(latent_sample)


def ckpt(stage):
    """runs/<stage>/ckpt.pt; seeded from the committed snapshot checkpoints/<stage>.pt when runs/ is
    empty (fresh clone), so `--resume`, export and sampling work from the repository alone."""
    path = os.path.join(RUNS, stage, "ckpt.pt")
    snap = os.path.join(SNAPSHOTS, f"{stage}.pt")
    if not os.path.exists(path) and os.path.exists(snap):
        import shutil
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(snap, path)
    return path


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save_json(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
