"""Turn a published Z-Image (Turbo) diffusers checkpoint into a Pigment model folder (flow-match-dit layout).

Run on your own machine, with torch >= 2.1, diffusers >= 0.36 (Z-Image), transformers >= 4.51 (Qwen3), onnx and
onnxruntime installed (pip install torch diffusers transformers onnx onnxruntime):

    python models/export/export_zimage.py --checkpoint Tongyi-MAI/Z-Image-Turbo --out ~/pigment-models/z-image-turbo \
        [--precision fp32|fp16] [--quantize none|int8|int4] [--rope ids|tables] [--attention fused|decomposed] [--check]

Steps (docs/models.md explains each):
  1. load ZImagePipeline (transformer, Qwen3 text encoder, FLUX VAE, scheduler, tokenizer) in float32;
  2. export transformer/, text_encoder/ (hidden_states[-2]), vae_encoder/ (posterior mean), vae_decoder/ with
     models/export/zimage_onnx.py; weights over 2 GB go to external data (model.onnx_data beside model.onnx);
  3. optionally convert to fp16, or quantize the MatMul weights to int8 (dynamic) or int4 (MatMulNBits, blocks of 32);
  4. copy tokenizer.json, the scheduler config and the component configs; write model_index.json and pigment.json
     with the conventions the graphs do not carry (timestep 1-sigma, negated output, position ids, padding 32);
     --rope tables exports a transformer that takes RoPE cos/sin tables (img_cos, img_sin, txt_cos, txt_sin) instead
     of position ids: Pigment computes them from axes_dims, axes_lens and rope_theta as diffusers' RopeEmbedder does;
     --attention fused (default) writes each attention as ONNX Runtime's com.microsoft::MultiHeadAttention, whose CPU
     kernel never stores the [heads, S, S] scores whole (int4, 1024 px: 4.78 GB peak against 8.53 GB, docs/benchmarks.md);
     --attention decomposed writes MatMul -> Softmax -> MatMul for runtimes without ORT's contrib ops;
  5. with --check, run every ONNX graph in ONNX Runtime on random inputs and print its max |difference| from PyTorch.
Memory: exporting the 6B transformer in fp32 needs about 3x its 24 GB of weights in RAM; use a machine with 64 GB+.
"""
import argparse
import json
import pathlib
import shutil
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import zimage_onnx  # noqa: E402


class Qwen3HiddenMinus2(torch.nn.Module):
    """Qwen3Model -> hidden_states[-2] (the input of the last decoder layer), what Z-Image conditions on."""

    def __init__(self, qwen):
        super().__init__()
        self.qwen = qwen

    def forward(self, input_ids):
        out = self.qwen(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), output_hidden_states=True)
        return out.hidden_states[-2]


def save_external(path):
    """Re-save an ONNX file with its weights in model.onnx_data when it is over 2 GB (protobuf's limit)."""
    import onnx
    model = onnx.load(str(path), load_external_data=True)
    if model.ByteSize() < 2_000_000_000 and not any(p.suffix == ".onnx_data" for p in path.parent.iterdir()):
        return
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx_data", size_threshold=1024)


def convert(path, precision, quantize):
    if precision == "fp16":
        import onnx
        from onnxconverter_common import float16
        model = float16.convert_float_to_float16(onnx.load(str(path)), keep_io_types=True)
        onnx.save_model(model, str(path), save_as_external_data=True, location="model.onnx_data")
    if quantize == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic
        quantize_dynamic(str(path), str(path), weight_type=QuantType.QInt8, use_external_data_format=True)
    elif quantize == "int4":
        import onnx
        from onnxruntime.quantization.matmul_4bits_quantizer import MatMul4BitsQuantizer
        q = MatMul4BitsQuantizer(onnx.load(str(path)), block_size=32, is_symmetric=True)
        q.process()
        q.model.save_model_to_file(str(path), use_external_data_format=True)


def check(path, feeds, expected):
    import numpy as np
    import onnxruntime as ort
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {k: v.numpy() for k, v in feeds.items()})[0]
    diff = float(np.abs(got - expected.numpy()).max())
    print(f"{path.parent.name}: max |onnx - torch| = {diff:.3g} (max |torch| {float(expected.abs().max()):.3g})")
    return diff


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--precision", choices=["fp32", "fp16"], default="fp32")
    ap.add_argument("--quantize", choices=["none", "int8", "int4"], default="none")
    ap.add_argument("--rope", choices=["ids", "tables"], default="ids",
                    help="how the transformer takes positions: 3-axis ids (tables inside the graph) or cos/sin tables")
    ap.add_argument("--attention", choices=list(zimage_onnx.ATTENTION), default="fused",
                    help="fused: one com.microsoft::MultiHeadAttention per layer (ONNX Runtime, least memory); "
                         "decomposed: MatMul -> Softmax -> MatMul, for runtimes without ORT's contrib ops")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    from diffusers import ZImagePipeline
    pipe = ZImagePipeline.from_pretrained(a.checkpoint, torch_dtype=torch.float32)
    out = a.out
    for d in ("transformer", "text_encoder", "vae_encoder", "vae_decoder", "tokenizer", "scheduler"):
        (out / d).mkdir(parents=True, exist_ok=True)
    t = pipe.transformer.eval()
    cap_dim = t.config.cap_feat_dim
    zimage_onnx.export_transformer(t, out / "transformer" / "model.onnx", cap_dim, channels=t.config.in_channels,
                                   rope=a.rope, attention=a.attention)
    zimage_onnx.export_text_encoder(Qwen3HiddenMinus2(pipe.text_encoder.eval()), out / "text_encoder" / "model.onnx")
    zimage_onnx.export_vae(pipe.vae.eval(), out / "vae_encoder" / "model.onnx", out / "vae_decoder" / "model.onnx",
                           latent_channels=pipe.vae.config.latent_channels)
    for d in ("transformer", "text_encoder", "vae_encoder", "vae_decoder"):
        save_external(out / d / "model.onnx")
    if a.check:
        with torch.no_grad():
            lat, feats, ts = torch.randn(16, 32, 32), torch.randn(20, cap_dim), torch.tensor(0.4)
            inputs = zimage_onnx.transformer_inputs(lat, feats, ts)
            restore = zimage_onnx.with_export_processors(t, a.attention)
            expected = zimage_onnx.ExportTransformer(t)(*inputs)
            restore()
            positions = ["img_ids", "txt_ids"]
            if a.rope == "tables":
                inputs = zimage_onnx.tables_inputs(t, inputs)
                positions = ["img_cos", "img_sin", "txt_cos", "txt_sin"]
            names = ["hidden_states", "encoder_hidden_states", "timestep", *positions, "img_pad_mask", "txt_pad_mask"]
            check(out / "transformer" / "model.onnx", dict(zip(names, inputs)), expected)
            print("export wrapper vs eager transformer:",
                  zimage_onnx.check_transformer(t, lat, feats, ts, attention=a.attention))
    for d in ("transformer", "text_encoder"):
        if a.precision != "fp32" or a.quantize != "none":
            convert(out / d / "model.onnx", a.precision, a.quantize)
    src = pathlib.Path(pipe.tokenizer.name_or_path)
    pipe.tokenizer.save_pretrained(out / "tokenizer")
    (out / "scheduler" / "scheduler_config.json").write_text(json.dumps(dict(pipe.scheduler.config), indent=2))
    (out / "transformer" / "config.json").write_text(json.dumps(dict(t.config), indent=2, default=list))
    for d in ("vae_encoder", "vae_decoder"):
        (out / d / "config.json").write_text(json.dumps(dict(pipe.vae.config), indent=2, default=list))
    (out / "model_index.json").write_text(json.dumps({"_class_name": "ZImagePipeline", "source": str(src)}, indent=2))
    (out / "pigment.json").write_text(json.dumps({
        "name": "Z-Image Turbo", "family": "flow-match-dit", "licence": "Apache-2.0",
        "recommended": {"width": 1024, "height": 1024, "steps": 8, "guidance": 0.0},
        "export": {"timestep": "1-sigma", "negate_output": True, "rope": a.rope, "pad_tokens_to": 32,
                   "prompt_template": "<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n",
                   "max_prompt_tokens": 512, "hidden_state": -2}}, indent=2))
    print("wrote", out, "- check it with: pigment models --check", out)


if __name__ == "__main__":
    main()
