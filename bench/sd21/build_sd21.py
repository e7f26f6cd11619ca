#!/usr/bin/python3
"""Builds a full-size SD 2.1 / SD-Turbo-architecture model folder with RANDOM weights for benchmarks.

The UNet (866 M parameters) and the VAE decoder are diffusers' own classes (UNet2DConditionModel,
AutoencoderKL) imported in place from a diffusers source checkout given with --diffusers (its
`src` folder); nothing of diffusers is copied here. They are exported to ONNX (fp32, the UNet's
weights as external data in weights.pb, as diffusers' conversion script writes them) and wrapped as
a Pigment model folder: model_index.json, pigment.json (SD-Turbo settings: 512x512, 1 step, no
guidance), scheduler, unet/vae_decoder configs. The text encoder (--text-encoder clip-h, the default)
has the real shapes of SD 2.x's OpenCLIP ViT-H/14 text tower as diffusers stores it (23 pre-norm layers,
width 1024, 16 heads, MLP 4096, GELU, causal mask, final LayerNorm; 340 M parameters, 1.36 GB) built
from plain torch modules with seeded random weights: the same memory and compute, not the real
weights. --text-encoder embedding writes the older 200 MB lookup-table stand-in. The tokenizer is the
test fixtures' CLIP BPE. Also writes flops.json: multiply-adds per UNet and
VAE call from the exported graphs, for ratios against the machine's FMA peak.

Runs on Debian's python3-torch (1.13) and python3-onnx; diffusers' optional dependencies that are
not in Debian (huggingface_hub, safetensors) are replaced by inert stand-ins at import time, and
attributes newer torch has are stubbed: only model construction and tracing are used.

Usage: /usr/bin/python3 bench/sd21/build_sd21.py --diffusers DIFFUSERS/src --out DIR [--what unet,vae]
  (--what text_encoder rewrites only the text encoder; ~20 s, ~6.8 GB peak.)
Peak memory: ~8 GB for the UNet export (run it alone). Weights never go into git.
"""
import argparse
import importlib.abc
import importlib.machinery
import json
import os
import shutil
import sys
import types

MISSING_TOP = ("huggingface_hub", "safetensors")
MISSING_FULL = {"torch.distributed._functional_collectives", "torch.distributed.tensor",
                "torch.distributed.device_mesh", "torch.nn.attention", "torch.nn.attention.flex_attention"}

# SD 2.1-base / SD-Turbo UNet (stabilityai/sd-turbo unet/config.json).
UNET_CONFIG = dict(
    sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
    block_out_channels=[320, 640, 1280, 1280],
    down_block_types=["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    up_block_types=["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
    attention_head_dim=[5, 10, 20, 20], cross_attention_dim=1024, use_linear_projection=True,
    norm_num_groups=32, act_fn="silu", flip_sin_to_cos=True, freq_shift=0)
# The SD 1.x/2.x VAE (block_out_channels 128..512, 4 latent channels).
VAE_CONFIG = dict(
    in_channels=3, out_channels=3, latent_channels=4, layers_per_block=2, sample_size=512,
    block_out_channels=[128, 256, 512, 512],
    down_block_types=["DownEncoderBlock2D"] * 4, up_block_types=["UpDecoderBlock2D"] * 4,
    act_fn="silu", norm_num_groups=32, scaling_factor=0.18215)
HIDDEN = 1024
TOKENS = 77


class _Inert(types.ModuleType):
    """A stand-in module: constants are strings, functions do nothing, classes are empty."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.isupper():
            value = "/nonexistent/hf-stand-in"
        elif name[0].islower():
            value = lambda *a, **k: None  # noqa: E731
        else:
            value = type(name, (), {"__init__": lambda self, *a, **k: None})
        setattr(self, name, value)
        return value


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in MISSING_TOP or name in MISSING_FULL:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _Inert(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def prepare_imports(diffusers_src):
    sys.meta_path.insert(0, _StandIns())
    import torch
    import torch.distributed

    class _Off(types.SimpleNamespace):
        def __getattr__(self, name):
            return lambda *a, **k: False

    for device in ("xpu", "mps", "npu", "mlu", "musa", "compiler"):
        if not hasattr(torch, device):
            setattr(torch, device, _Off())
    torch.compiler.disable = lambda *a, **k: a[0] if a and callable(a[0]) else (lambda f: f)
    torch.compiler.is_compiling = lambda: False
    for dtype in ("float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "uint16", "uint32",
                  "uint64") + tuple(f"uint{i}" for i in range(1, 8)) + tuple(f"int{i}" for i in range(1, 8)):
        if not hasattr(torch, dtype):
            setattr(torch, dtype, torch.float32)
    if not hasattr(torch.distributed, "device_mesh"):
        torch.distributed.device_mesh = types.SimpleNamespace(DeviceMesh=type("DeviceMesh", (), {}))
    sys.path.insert(0, os.path.abspath(diffusers_src))
    return torch


def export_unet(torch, out, fused=False, check_dir=None):
    from diffusers.models.unets.unet_2d_condition import UNet2DConditionModel
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**UNET_CONFIG).eval()
    params = sum(p.numel() for p in unet.parameters())
    print(f"unet: {params / 1e6:.1f} M parameters", flush=True)

    class Wrapper(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, sample, timestep, encoder_hidden_states):
            return self.m(sample, timestep, encoder_hidden_states, return_dict=False)[0]

    folder = os.path.join(out, "unet")
    tmp = os.path.join(out, "unet-export")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    os.makedirs(folder, exist_ok=True)
    args = (torch.randn(1, 4, 64, 64), torch.tensor([999.0]), torch.randn(1, TOKENS, HIDDEN))
    if check_dir:
        write_check(torch, Wrapper(unet), args, os.path.join(check_dir, "unet"),
                    ["sample", "timestep", "encoder_hidden_states"])
    custom = fuse(torch, unet, fused, Wrapper(unet), args)
    with torch.no_grad():
        torch.onnx.export(Wrapper(unet), args, os.path.join(tmp, "model.onnx"), opset_version=14,
                          input_names=["sample", "timestep", "encoder_hidden_states"], output_names=["out_sample"],
                          dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "steps"},
                                        "encoder_hidden_states": {0: "batch", 1: "sequence"}},
                          do_constant_folding=True, custom_opsets=custom)
    del unet
    import gc
    gc.collect()
    import onnx
    model = onnx.load(os.path.join(tmp, "model.onnx"), load_external_data=True)
    onnx.save_model(model, os.path.join(folder, "model.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.pb", size_threshold=1024)
    del model
    shutil.rmtree(tmp)
    config = dict(UNET_CONFIG, _class_name="UNet2DConditionModel")
    write_json(os.path.join(folder, "config.json"), config)
    return params


def fuse(torch, model, fused, wrapped, args):
    """With --attention fused: swaps in FusedAttnProcessor, checks it against the stock processor's output
    in PyTorch (max abs diff printed), and returns the custom opset the export needs."""
    if not fused:
        return None
    from fused_attention import use_fused_attention
    with torch.no_grad():
        before = wrapped(*args)
        layers = use_fused_attention(model, torch)
        diff = (wrapped(*args) - before).abs().max().item()
    print(f"fused attention: {layers} layers; PyTorch output vs stock processor: max abs diff {diff:.3g} "
          f"(output max abs {before.abs().max().item():.3g})", flush=True)
    return {"com.microsoft": 1}


def write_check(torch, wrapped, args, folder, names):
    """Inputs and PyTorch's output as raw little-endian float32 (shape in a .json), for SdTurboChild's check."""
    os.makedirs(folder, exist_ok=True)
    with torch.no_grad():
        result = wrapped(*args)
    for name, t in list(zip(names, args)) + [("output", result)]:
        t.detach().float().contiguous().numpy().astype("<f4").tofile(os.path.join(folder, name + ".bin"))
        write_json(os.path.join(folder, name + ".json"), {"shape": list(t.shape)})


def export_vae_decoder(torch, out, fused=False, check_dir=None):
    from diffusers.models.autoencoders.autoencoder_kl import AutoencoderKL
    torch.manual_seed(1)
    vae = AutoencoderKL(**VAE_CONFIG).eval()

    class Decoder(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, latent_sample):
            return self.m.decode(latent_sample, return_dict=False)[0]

    folder = os.path.join(out, "vae_decoder")
    os.makedirs(folder, exist_ok=True)
    params = sum(p.numel() for p in list(vae.decoder.parameters()) + list(vae.post_quant_conv.parameters()))
    print(f"vae decoder: {params / 1e6:.1f} M parameters", flush=True)
    args = (torch.randn(1, 4, 64, 64),)
    if check_dir:
        write_check(torch, Decoder(vae), args, os.path.join(check_dir, "vae_decoder"), ["latent_sample"])
    custom = fuse(torch, vae, fused, Decoder(vae), args)
    with torch.no_grad():
        torch.onnx.export(Decoder(vae), args, os.path.join(folder, "model.onnx"),
                          opset_version=14, input_names=["latent_sample"], output_names=["sample"],
                          dynamic_axes={"latent_sample": {0: "batch", 2: "height", 3: "width"}},
                          do_constant_folding=True, custom_opsets=custom)
    write_json(os.path.join(folder, "config.json"), dict(VAE_CONFIG, _class_name="AutoencoderKL"))
    return params


def write_text_encoder(out, vocab):
    """Stand-in text encoder: input_ids [B,77] int32 -> a fixed embedding [B,77,1024] (Gather)."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(2)
    table = numpy_helper.from_array((rng.standard_normal((vocab, HIDDEN)) * 0.5).astype(np.float32), "embedding")
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", TOKENS])
    hidden = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", TOKENS, HIDDEN])
    graph = helper.make_graph([helper.make_node("Gather", ["embedding", "input_ids"], ["last_hidden_state"], axis=0)],
                              "text_encoder_stand_in", [ids], [hidden], [table])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    folder = os.path.join(out, "text_encoder")
    os.makedirs(folder, exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))


# The text tower SD 2.x conditions on: OpenCLIP ViT-H/14 (width 1024, 16 heads, MLP 4096, 77 tokens, vocab
# 49408). SD 2.x reads the penultimate layer's hidden states through the final LayerNorm, so diffusers'
# checkpoint (stabilityai/sd-turbo text_encoder) holds 23 of the 24 layers: 340 M parameters, 1.36 GB fp32.
CLIP_H = dict(vocab=49408, layers=23, heads=16, mlp=4096)


def write_clip_h_text_encoder(torch, out, check_dir=None):
    """A shape-faithful ViT-H text tower with seeded random weights (not OpenCLIP's weights): the same
    parameter count and compute, the same input/output names and dtypes as the stand-in."""
    nn = torch.nn
    torch.manual_seed(7)

    class TextTower(nn.Module):
        def __init__(self):
            super().__init__()
            self.token_embedding = nn.Embedding(CLIP_H["vocab"], HIDDEN)
            self.position_embedding = nn.Parameter(torch.randn(TOKENS, HIDDEN) * 0.01)
            self.layers = nn.ModuleList(nn.TransformerEncoderLayer(
                HIDDEN, CLIP_H["heads"], CLIP_H["mlp"], dropout=0.0, activation="gelu", batch_first=True,
                norm_first=True) for _ in range(CLIP_H["layers"]))
            self.final_layer_norm = nn.LayerNorm(HIDDEN)
            self.register_buffer("causal", torch.full((TOKENS, TOKENS), float("-inf")).triu(1))

        def forward(self, input_ids):
            x = self.token_embedding(input_ids.long()) + self.position_embedding
            for layer in self.layers:
                x = layer(x, src_mask=self.causal)
            return self.final_layer_norm(x)

    model = TextTower().eval()
    print(f"text encoder (ViT-H text shapes): {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters",
          flush=True)
    ids = torch.randint(0, 1000, (1, TOKENS), dtype=torch.int32)
    folder = os.path.join(out, "text_encoder")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    with torch.no_grad():
        torch.onnx.export(model, (ids,), path, opset_version=14, input_names=["input_ids"],
                          output_names=["last_hidden_state"], dynamic_axes={"input_ids": {0: "batch"},
                                                                            "last_hidden_state": {0: "batch"}},
                          do_constant_folding=True)
    if check_dir:  # ids as float32 (exact below 2^24); SdTurboChild's check converts them back to int32
        write_check(torch, model, (ids,), os.path.join(check_dir, "text_encoder"), ["input_ids"])


def count_macs(torch, module, args, attention_class):
    """Multiply-adds of one forward call: Conv2d and Linear layers from forward hooks, plus attention's
    two batched products (Q K^T and weights V: 2 * B * N * M * inner_dim), which are not modules."""
    total = [0]

    def conv(m, inp, out):
        total[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear(m, inp, out):
        total[0] += out.numel() * m.in_features

    original = attention_class.forward

    def attention(self, hidden_states, encoder_hidden_states=None, *rest, **kwargs):
        shape = hidden_states.shape
        n = shape[1] if hidden_states.ndim == 3 else shape[2] * shape[3]
        m_len = n if encoder_hidden_states is None else encoder_hidden_states.shape[1]
        total[0] += 2 * shape[0] * n * m_len * self.inner_dim
        return original(self, hidden_states, encoder_hidden_states, *rest, **kwargs)

    handles = []
    for m in module.modules():
        if isinstance(m, torch.nn.Conv2d):
            handles.append(m.register_forward_hook(conv))
        elif isinstance(m, torch.nn.Linear):
            handles.append(m.register_forward_hook(linear))
    attention_class.forward = attention
    try:
        with torch.no_grad():
            module(*args)
    finally:
        attention_class.forward = original
    for h in handles:
        h.remove()
    return total[0]


def macs(torch, out):
    """flops.json: multiply-adds per UNet call (batch 1, 64x64 latents = 512x512) and per VAE decode."""
    from diffusers.models.attention_processor import Attention
    from diffusers.models.autoencoders.autoencoder_kl import AutoencoderKL
    from diffusers.models.unets.unet_2d_condition import UNet2DConditionModel
    result = {}
    vae = AutoencoderKL(**VAE_CONFIG).eval()

    class Decoder(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, z):
            return self.m.decode(z, return_dict=False)[0]

    result["vae_decoder_macs_64x64"] = count_macs(torch, Decoder(vae), (torch.randn(1, 4, 64, 64),), Attention)
    del vae
    unet = UNet2DConditionModel(**UNET_CONFIG).eval()
    result["unet_macs_batch1_64x64"] = count_macs(
        torch, unet, (torch.randn(1, 4, 64, 64), torch.tensor([999.0]), torch.randn(1, TOKENS, HIDDEN)), Attention)
    write_json(os.path.join(out, "flops.json"), result)
    print(result, flush=True)


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def write_folder(out, tokenizer_src):
    write_json(os.path.join(out, "model_index.json"), {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "text_encoder": ["diffusers", "OnnxRuntimeModel"], "unet": ["diffusers", "OnnxRuntimeModel"],
        "vae_decoder": ["diffusers", "OnnxRuntimeModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "scheduler": ["diffusers", "EulerDiscreteScheduler"]})
    write_json(os.path.join(out, "pigment.json"), {
        "name": "SD 2.1 architecture, random weights (benchmark only)", "family": "stable-diffusion",
        "licence": "none: random weights written by bench/sd21/build_sd21.py",
        "recommended": {"width": 512, "height": 512, "steps": 1, "guidance": 0.0, "scheduler": "euler"}})
    os.makedirs(os.path.join(out, "scheduler"), exist_ok=True)
    write_json(os.path.join(out, "scheduler", "scheduler_config.json"), {
        "_class_name": "EulerDiscreteScheduler", "num_train_timesteps": 1000, "beta_start": 0.00085,
        "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon",
        "timestep_spacing": "trailing", "steps_offset": 1})
    tok = os.path.join(out, "tokenizer")
    os.makedirs(tok, exist_ok=True)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt", "special_tokens_map.json"):
        src = os.path.join(tokenizer_src, name)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(tok, name))
    with open(os.path.join(tok, "tokenizer.json")) as f:
        return len(json.load(f)["model"]["vocab"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--diffusers", required=True, help="a diffusers source checkout's src/ folder")
    ap.add_argument("--out", required=True)
    ap.add_argument("--what", default="folder,vae,unet,flops")
    ap.add_argument("--attention", choices=("plain", "fused"), default="plain",
                    help="fused: attention as ONNX Runtime's com.microsoft::MultiHeadAttention (flash attention on "
                         "the CPU, see fused_attention.py); plain: MatMul/Softmax as torch exports it")
    ap.add_argument("--text-encoder", choices=("clip-h", "embedding"), default="clip-h",
                    help="clip-h: a text tower with OpenCLIP ViT-H's shapes (23 layers as SD 2.x uses, 340 M "
                         "parameters, random weights); embedding: a 200 MB lookup table stand-in (as before)")
    ap.add_argument("--check-dir", help="also write each component's inputs and PyTorch output here (raw float32) "
                                        "for `SdTurboBenchmark --child check`")
    args = ap.parse_args()
    what = set(args.what.split(","))
    os.makedirs(args.out, exist_ok=True)
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tokenizer_src = os.path.join(repo, "plugin-core/src/test/resources/models/tiny-sd/tokenizer")
    torch = prepare_imports(args.diffusers)
    torch.set_num_threads(2)
    if "folder" in what:
        vocab = write_folder(args.out, tokenizer_src)
        if args.text_encoder == "embedding":
            write_text_encoder(args.out, vocab)
    if "text_encoder" in what or ("folder" in what and args.text_encoder == "clip-h"):
        write_clip_h_text_encoder(torch, args.out, args.check_dir)
    fused = args.attention == "fused"
    if "vae" in what:
        export_vae_decoder(torch, args.out, fused, args.check_dir)
    if "unet" in what:
        export_unet(torch, args.out, fused, args.check_dir)
    if "flops" in what:
        macs(torch, args.out)

if __name__ == "__main__":
    main()
