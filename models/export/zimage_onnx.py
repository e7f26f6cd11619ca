"""ONNX export of a Z-Image (ZImageTransformer2DModel + FLUX 16-channel AutoencoderKL) model for Pigment.

The graphs take what Pigment's Java side prepares (see docs/models.md, "flow-match-dit layout"):

  transformer/model.onnx
    hidden_states          float [1, S, p*p*16]  patchified latents, S = image tokens padded to a multiple of 32
    encoder_hidden_states  float [1, L, cap_feat_dim]  caption features padded to a multiple of 32 (last row repeated)
    timestep               float [1]             1 - sigma (Z-Image's convention)
    img_ids, txt_ids       int64 [S, 3] / [L, 3] 3-axis RoPE position ids (as diffusers' patchify_and_embed makes them)
      or, with rope="tables" (pigment.json "export": {"rope": "tables"}), instead of the ids:
    img_cos, img_sin, txt_cos, txt_sin  float [S, D/2] / [L, D/2]  RopeEmbedder(ids).real / .imag, D = sum(axes_dims)
    img_pad_mask, txt_pad_mask  int64 [S] / [L]  1 where the row is padding (replaced by the learned pad token)
    -> sample              float [1, S, p*p*16]  the model's output for the image tokens (NOT negated)

  vae_encoder/model.onnx  sample [1,3,H,W] in [-1,1] -> latent_sample [1,16,H/8,W/8] (posterior mean, unscaled)
  vae_decoder/model.onnx  latent_sample [1,16,h,w] (unscaled) -> sample [1,3,8h,8w] in [-1,1]

Export-only substitutions (each checked against the eager model by check_transformer):
  * RoPE in real arithmetic: complex64 tables become (cos, sin) pairs gathered by the position ids;
  * the attention processor uses reshape instead of unflatten (torch 1.13 cannot export unflatten), and writes the
    attention core either fused (one com.microsoft::MultiHeadAttention, attention="fused") or decomposed;
  * padding and the [image, caption] concatenation are done by the caller instead of pad_sequence.
Opset 16 decomposes LayerNorm, which sidesteps torch 1.13's broken affine-free LayerNormalization at opset 17.
"""
import inspect

import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 16
SEQ_MULTI_OF = 32


def _onnx_export(*args, **kwargs):
    """torch.onnx.export with the TorchScript exporter, the one that honours an autograd.Function's `symbolic`
    (the fused attention). torch 2.9 made the dynamo exporter the default, which traces through the function's
    forward instead (decomposed attention), so it is turned off wherever the argument exists (torch 1.13, which
    builds the fixtures, has no such argument)."""
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    torch.onnx.export(*args, **kwargs)


ATTENTION = ("fused", "decomposed")


class RealRopeAttnProcessor:
    """ZSingleStreamAttnProcessor with the rotation written as (xr*c - xi*s, xr*s + xi*c); attention decomposed
    (MatMul -> Softmax -> MatMul, the [heads, S, S] scores stored whole), which any ONNX runtime can run."""

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, freqs_cis=None):
        b, n, q, k, v = _rotated_qkv(attn, hidden_states, freqs_cis)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-2, -1)) * (q.shape[-1] ** -0.5)
        out = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, n, -1)
        return attn.to_out[0](out)


class FusedRopeAttnProcessor:
    """RealRopeAttnProcessor with the attention core as ONE com.microsoft::MultiHeadAttention (ONNX Runtime's
    contrib op): with no mask, bias or past its CPU kernel runs MLAS flash attention, so the [heads, S, S] scores are
    never stored whole (int4, 1024 px: 4.78 GB peak against 8.53 GB decomposed, docs/benchmarks.md). Z-Image needs no
    mask: padding rows are replaced by learned pad tokens. In torch the op's forward is the decomposed arithmetic."""

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, freqs_cis=None):
        b, n, q, k, v = _rotated_qkv(attn, hidden_states, freqs_cis)
        # Python ints, not traced shape values: the op's attributes must be constants in the graph.
        heads = int(attn.heads)
        head_dim = int(attn.to_q.out_features) // heads
        flat = [t.reshape(b, n, heads * head_dim) for t in (q, k, v)]
        return attn.to_out[0](_MultiHeadAttention.apply(*flat, heads, float(head_dim ** -0.5)))


class _MultiHeadAttention(torch.autograd.Function):
    """softmax(Q K^T * scale) V per head; Q, K, V [B, S, heads*d] -> [B, S, heads*d]; exported as the contrib op."""

    @staticmethod
    def forward(ctx, q, k, v, heads, scale):
        b, n, _ = q.shape
        q, k, v = (t.reshape(b, n, heads, -1).transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-2, -1)) * scale
        return torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, n, -1)

    @staticmethod
    def symbolic(g, q, k, v, heads, scale):
        out = g.op("com.microsoft::MultiHeadAttention", q, k, v, num_heads_i=heads, scale_f=scale)
        out.setType(q.type())
        return out


def _rotated_qkv(attn, hidden_states, freqs_cis):
    """B, S and q, k, v [B, S, heads, head_dim] after norm_q / norm_k and the RoPE rotation, as
    ZSingleStreamAttnProcessor (B, S read once, so the decomposed export's graph is node for node the earlier one)."""
    b, n, _ = hidden_states.shape
    q = attn.to_q(hidden_states).reshape(b, n, attn.heads, -1)
    k = attn.to_k(hidden_states).reshape(b, n, attn.heads, -1)
    v = attn.to_v(hidden_states).reshape(b, n, attn.heads, -1)
    if attn.norm_q is not None:
        q = attn.norm_q(q)
    if attn.norm_k is not None:
        k = attn.norm_k(k)
    if freqs_cis is not None:
        q = _rotate(q, freqs_cis)
        k = _rotate(k, freqs_cis)
    return b, n, q, k, v


def _rotate(x, cos_sin):
    """x [B, S, H, D]; cos_sin [B, S, D/2, 2] -> rotated adjacent pairs, as view_as_complex(x) * freqs_cis."""
    xr = x.reshape(*x.shape[:-1], -1, 2)
    a, b = xr[..., 0], xr[..., 1]
    c = cos_sin[..., 0].unsqueeze(2)
    s = cos_sin[..., 1].unsqueeze(2)
    return torch.stack([a * c - b * s, a * s + b * c], dim=-1).reshape(x.shape)


class ExportTransformer(nn.Module):
    """ZImageTransformer2DModel.forward for one image, without lists, complex numbers or data-dependent shapes."""

    def __init__(self, model, patch_size=2, f_patch_size=1):
        super().__init__()
        self.m = model
        self.key = f"{patch_size}-{f_patch_size}"
        tables = model.rope_embedder.precompute_freqs_cis(model.rope_embedder.axes_dims, model.rope_embedder.axes_lens,
                                                          theta=model.rope_embedder.theta)
        for i, t in enumerate(tables):
            self.register_buffer(f"rope{i}", torch.view_as_real(t).contiguous(), persistent=False)
        self.axes = len(tables)

    def rope(self, ids):
        parts = [getattr(self, f"rope{i}")[ids[:, i]] for i in range(self.axes)]
        return torch.cat(parts, dim=1).unsqueeze(0)

    def forward(self, hidden_states, encoder_hidden_states, timestep, img_ids, txt_ids, img_pad_mask, txt_pad_mask):
        return self.denoise(hidden_states, encoder_hidden_states, timestep, self.rope(img_ids), self.rope(txt_ids),
                            img_pad_mask, txt_pad_mask)

    def denoise(self, hidden_states, encoder_hidden_states, timestep, x_freqs, cap_freqs, img_pad_mask, txt_pad_mask):
        m = self.m
        adaln = m.t_embedder(timestep * m.t_scale)
        x = m.all_x_embedder[self.key](hidden_states[0])
        x = torch.where(img_pad_mask.unsqueeze(-1) > 0, m.x_pad_token, x).unsqueeze(0)
        for layer in m.noise_refiner:
            x = layer(x, None, x_freqs, adaln)
        cap = m.cap_embedder(encoder_hidden_states[0])
        cap = torch.where(txt_pad_mask.unsqueeze(-1) > 0, m.cap_pad_token, cap).unsqueeze(0)
        for layer in m.context_refiner:
            cap = layer(cap, None, cap_freqs)
        unified = torch.cat([x, cap], dim=1)
        freqs = torch.cat([x_freqs, cap_freqs], dim=1)
        for layer in m.layers:
            unified = layer(unified, None, freqs, adaln)
        out = m.all_final_layer[self.key](unified, c=adaln)
        return out[:, : hidden_states.shape[1]]


class ExportTransformerTables(ExportTransformer):
    """The "rope": "tables" variant: the caller passes RopeEmbedder(ids) as cos/sin tables [rows, sum(axes_dims)/2]
    instead of the ids, so the graph holds no position tables (Pigment computes them as diffusers' RopeEmbedder)."""

    def forward(self, hidden_states, encoder_hidden_states, timestep, img_cos, img_sin, txt_cos, txt_sin,
                img_pad_mask, txt_pad_mask):
        x_freqs = torch.stack([img_cos, img_sin], dim=-1).unsqueeze(0)
        cap_freqs = torch.stack([txt_cos, txt_sin], dim=-1).unsqueeze(0)
        return self.denoise(hidden_states, encoder_hidden_states, timestep, x_freqs, cap_freqs, img_pad_mask, txt_pad_mask)


def tables_inputs(model, inputs):
    """transformer_inputs(...) with the ids replaced by RopeEmbedder's cos/sin tables (the tables variant's inputs)."""
    tokens, caps, t, img_ids, txt_ids, img_mask, txt_mask = inputs
    img, txt = model.rope_embedder(img_ids), model.rope_embedder(txt_ids)
    return (tokens, caps, t, img.real.contiguous(), img.imag.contiguous(), txt.real.contiguous(), txt.imag.contiguous(),
            img_mask, txt_mask)


def with_export_processors(model, attention="decomposed"):
    """Swaps in the export processor for `attention` ("fused" or "decomposed"); returns a function that restores the
    originals."""
    if attention not in ATTENTION:
        raise ValueError(f"attention {attention!r}: use one of {ATTENTION}")
    processor = FusedRopeAttnProcessor if attention == "fused" else RealRopeAttnProcessor
    saved = []
    for module in model.modules():
        if hasattr(module, "processor") and hasattr(module, "set_processor"):
            saved.append((module, module.processor))
            module.processor = processor()
    return lambda: [setattr(mod, "processor", p) for mod, p in saved]


def pad_rows(n):
    return (-n) % SEQ_MULTI_OF


def transformer_inputs(latents, cap_feats, t, patch=2):
    """The graph inputs for latents [16, H, W] and caption features [L, D], as diffusers' patchify_and_embed pads them."""
    c, h, w = latents.shape
    hp, wp = h // patch, w // patch
    tokens = latents.reshape(c, 1, 1, hp, patch, wp, patch).permute(1, 3, 5, 2, 4, 6, 0).reshape(hp * wp, patch * patch * c)
    n_img = tokens.shape[0]
    cap_len = cap_feats.shape[0]
    cap_pad = pad_rows(cap_len)
    cap_total = cap_len + cap_pad
    caps = torch.cat([cap_feats, cap_feats[-1:].repeat(cap_pad, 1)]) if cap_pad else cap_feats
    txt_ids = torch.stack([torch.arange(1, cap_total + 1), torch.zeros(cap_total, dtype=torch.long),
                           torch.zeros(cap_total, dtype=torch.long)], dim=1)
    img_pad = pad_rows(n_img)
    yy, xx = torch.meshgrid(torch.arange(hp), torch.arange(wp), indexing="ij")
    img_ids = torch.stack([torch.full((n_img,), cap_total + 1, dtype=torch.long), yy.flatten(), xx.flatten()], dim=1)
    if img_pad:
        tokens = torch.cat([tokens, tokens[-1:].repeat(img_pad, 1)])
        img_ids = torch.cat([img_ids, torch.zeros(img_pad, 3, dtype=torch.long)])
    img_mask = torch.cat([torch.zeros(n_img, dtype=torch.long), torch.ones(img_pad, dtype=torch.long)])
    txt_mask = torch.cat([torch.zeros(cap_len, dtype=torch.long), torch.ones(cap_pad, dtype=torch.long)])
    return (tokens.unsqueeze(0), caps.unsqueeze(0), t.reshape(1), img_ids, txt_ids, img_mask, txt_mask)


@torch.no_grad()
def check_transformer(model, latents, cap_feats, t, patch=2, attention="decomposed"):
    """Max |difference| between the export wrapper and the unmodified eager forward (both in torch)."""
    eager = model([latents.unsqueeze(1)], t.reshape(1), [cap_feats], return_dict=False)[0][0][:, 0]
    restore = with_export_processors(model, attention)
    try:
        inputs = transformer_inputs(latents, cap_feats, t, patch)
        out = ExportTransformer(model, patch)(*inputs)[0]
    finally:
        restore()
    c, h, w = latents.shape
    n = (h // patch) * (w // patch)
    img = out[:n].reshape(1, h // patch, w // patch, patch, patch, c).permute(5, 0, 1, 3, 2, 4).reshape(c, h, w)
    return (img - eager).abs().max().item()


@torch.no_grad()
def export_transformer(model, path, cap_dim, patch=2, channels=16, rope="ids", attention="decomposed"):
    """rope "ids": the graph takes 3-axis position ids and holds the tables; "tables": it takes cos/sin tables.
    attention "fused": one com.microsoft::MultiHeadAttention per layer (needs ONNX Runtime's contrib ops; the recipe's
    default); "decomposed": MatMul -> Softmax -> MatMul (any runtime; the default here so the committed fixtures
    re-export byte for byte)."""
    restore = with_export_processors(model, attention)
    try:
        example = transformer_inputs(torch.randn(channels, 8, 8), torch.randn(7, cap_dim), torch.tensor(0.5), patch)
        if rope == "tables":
            wrapper, example = ExportTransformerTables(model, patch), tables_inputs(model, example)
            positions = {"img_cos": "image_tokens", "img_sin": "image_tokens", "txt_cos": "caption_tokens",
                         "txt_sin": "caption_tokens"}
        else:
            wrapper, positions = ExportTransformer(model, patch), {"img_ids": "image_tokens", "txt_ids": "caption_tokens"}
        names = ["hidden_states", "encoder_hidden_states", "timestep", *positions, "img_pad_mask", "txt_pad_mask"]
        axes = {"hidden_states": {1: "image_tokens"}, "img_pad_mask": {0: "image_tokens"}, "sample": {1: "image_tokens"},
                "encoder_hidden_states": {1: "caption_tokens"}, "txt_pad_mask": {0: "caption_tokens"}}
        axes.update({name: {0: axis} for name, axis in positions.items()})
        _onnx_export(wrapper, example, str(path), input_names=names, output_names=["sample"],
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True,
                          custom_opsets={"com.microsoft": 1} if attention == "fused" else None)
    finally:
        restore()


class _VaeEncoderMean(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, sample):
        return self.vae.encode(sample).latent_dist.mean


class _VaeDecoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample).sample


@torch.no_grad()
def export_vae(vae, encoder_path, decoder_path, latent_channels=16):
    spatial = {2: "height", 3: "width"}
    _onnx_export(_VaeEncoderMean(vae), (torch.randn(1, 3, 64, 64),), str(encoder_path), input_names=["sample"],
                      output_names=["latent_sample"], dynamic_axes={"sample": spatial, "latent_sample": spatial},
                      opset_version=OPSET, do_constant_folding=True)
    _onnx_export(_VaeDecoder(vae), (torch.randn(1, latent_channels, 8, 8),), str(decoder_path),
                      input_names=["latent_sample"], output_names=["sample"],
                      dynamic_axes={"latent_sample": spatial, "sample": spatial}, opset_version=OPSET,
                      do_constant_folding=True)


@torch.no_grad()
def export_text_encoder(module, path):
    """module(input_ids [1, L] int64) -> the hidden state Z-Image uses ([-2]) [1, L, D]."""
    _onnx_export(module, (torch.tensor([[1, 2, 3, 4]]),), str(path), input_names=["input_ids"],
                      output_names=["hidden_states"], dynamic_axes={"input_ids": {1: "tokens"}, "hidden_states": {1: "tokens"}},
                      opset_version=OPSET, do_constant_folding=True)
