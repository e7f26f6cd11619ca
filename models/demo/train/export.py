"""Export the EMA weights to the diffusers ONNX layout in models/demo/ and verify every graph.

  python3 export.py            # writes text_encoder/ unet/ vae_encoder/ vae_decoder/ model.onnx,
                               # configs, pigment.json (sha256 of every file)

Verification: onnx.checker, then each graph is run by a small numpy ONNX interpreter (onnx_numpy.py;
python3-onnx 1.12 has no reference evaluator and onnxruntime is not packaged for Debian) on a test
batch with shapes different from the export dummies (checks the dynamic axes too), and compared with
PyTorch.
"""
import argparse
import glob
import hashlib
import os

import numpy as np
import onnx
import torch

import onnx_numpy
from common import save_json as _save_json
from common import (ckpt, BETA_END, BETA_SCHEDULE, BETA_START, MAX_LEN, MODEL_DIR, NUM_TRAIN_TIMESTEPS, PREDICTION_TYPE,
                    RUNS, TIMESTEP_SPACING, VAE_CH, LATENT_CH, WordTokenizer, euler_sample, euler_timesteps_sigmas,
                    load_json)
from train import build_unet_models, load_vae

OPSET = 17
RECOMMENDED = {"width": 64, "height": 64, "steps": 20, "guidance": 5.0, "scheduler": "euler"}
LICENCE = ("Apache-2.0 (weights trained on Noto Emoji images, Apache-2.0, and Twemoji graphics, CC-BY 4.0 "
           "by Twitter, Inc and other contributors; captions from emojibase-data, MIT). See README.md.")


def export(model, args, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(model, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return m


def compare(name, model, torch_out, feeds, atol):
    got = onnx_numpy.run(model, feeds)[0]
    ref = torch_out.detach().numpy()
    assert got.shape == ref.shape, f"{name}: shape {got.shape} != {ref.shape}"
    err = float(np.abs(got - ref).max())
    print(f"{name}: onnx vs torch max |diff| {err:.2e} on shape {list(ref.shape)}")
    if not err <= atol:
        raise SystemExit(f"{name}: ONNX output differs from PyTorch by {err} (> {atol})")


def save_json(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    _save_json(obj, path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--guidance", type=float, default=RECOMMENDED["guidance"])
    p.add_argument("--skip-check", action="store_true")
    p.add_argument("--threads", type=int, default=1, help="keep 1 while a training runs")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    s = torch.load(ckpt("unet"))
    tok = WordTokenizer.load(os.path.join(MODEL_DIR, "tokenizer", "tokenizer.json"))
    te, unet = build_unet_models(len(tok))
    te.load_state_dict(s["ema_te"]); unet.load_state_dict(s["ema_unet"])
    te.eval(); unet.eval()
    enc, dec = load_vae()
    scaling = float(s["scaling_factor"])
    D = te.dim
    d = MODEL_DIR

    ids = torch.tensor([tok.encode("red heart"), tok.encode("")], dtype=torch.int32)
    m_te = export(te, (ids,), f"{d}/text_encoder/model.onnx", ["input_ids"], ["last_hidden_state"],
                  {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}})
    m_un = export(unet, (torch.randn(2, 4, 16, 16), torch.tensor([999.0, 999.0]), torch.randn(2, MAX_LEN, D)),
                  f"{d}/unet/model.onnx", ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                  {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "steps"},
                   "encoder_hidden_states": {0: "batch"}, "out_sample": {0: "batch", 2: "height", 3: "width"}})
    m_en = export(enc, (torch.rand(1, 3, 64, 64) * 2 - 1,), f"{d}/vae_encoder/model.onnx", ["sample"],
                  ["latent_sample"], {"sample": {0: "batch", 2: "height", 3: "width"},
                                      "latent_sample": {0: "batch", 2: "height", 3: "width"}})
    m_de = export(dec, (torch.randn(1, 4, 16, 16),), f"{d}/vae_decoder/model.onnx", ["latent_sample"], ["sample"],
                  {"latent_sample": {0: "batch", 2: "height", 3: "width"}, "sample": {0: "batch", 2: "height", 3: "width"}})

    if not a.skip_check:
        with torch.no_grad():
            ids3 = torch.tensor([tok.encode(t) for t in ["blue car", "flag: Japan", ""]], dtype=torch.int32)
            compare("text_encoder", m_te, te(ids3), {"input_ids": ids3.numpy()}, 1e-4)
            x = torch.randn(3, 4, 24, 16)  # non-square, non-export shape: exercises the dynamic axes
            t = torch.tensor([999.0, 437.5, 0.0])
            ctx = te(ids3.long())
            compare("unet", m_un, unet(x, t, ctx), {"sample": x.numpy(), "timestep": t.numpy(),
                                                    "encoder_hidden_states": ctx.numpy()}, 1e-3)
            t1 = torch.tensor([500.0])  # diffusers' ONNX pipeline passes a [1] timestep for a 2B batch
            compare("unet[t shape 1]", m_un, unet(x, t1, ctx), {"sample": x.numpy(), "timestep": t1.numpy(),
                                                                "encoder_hidden_states": ctx.numpy()}, 1e-3)
            img = torch.rand(2, 3, 48, 80) * 2 - 1
            compare("vae_encoder", m_en, enc(img), {"sample": img.numpy()}, 1e-4)
            z = torch.randn(2, 4, 12, 20)
            compare("vae_decoder", m_de, dec(z), {"latent_sample": z.numpy()}, 1e-4)

        e2e_check(tok, te, unet, dec, scaling, a.guidance, m_te, m_un, m_de)

    save_json({"_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0",
               "feature_extractor": [None, None], "requires_safety_checker": False, "safety_checker": [None, None],
               "scheduler": ["diffusers", "EulerDiscreteScheduler"],
               "text_encoder": ["diffusers", "OnnxRuntimeModel"],
               "tokenizer": ["transformers", "PreTrainedTokenizerFast"],
               "unet": ["diffusers", "OnnxRuntimeModel"],
               "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
               "vae_encoder": ["diffusers", "OnnxRuntimeModel"]}, f"{d}/model_index.json")
    save_json({"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.30.0",
               "num_train_timesteps": NUM_TRAIN_TIMESTEPS, "beta_start": BETA_START, "beta_end": BETA_END,
               "beta_schedule": BETA_SCHEDULE, "prediction_type": PREDICTION_TYPE,
               "timestep_spacing": TIMESTEP_SPACING, "steps_offset": 0, "trained_betas": None,
               "interpolation_type": "linear", "use_karras_sigmas": False, "rescale_betas_zero_snr": False,
               "timestep_type": "discrete", "final_sigmas_type": "zero"},
              f"{d}/scheduler/scheduler_config.json")
    vae_cfg = {"_class_name": "AutoencoderKL", "_diffusers_version": "0.30.0", "in_channels": 3,
               "out_channels": 3, "latent_channels": LATENT_CH, "block_out_channels": list(VAE_CH),
               "sample_size": 64, "scaling_factor": round(scaling, 6), "shift_factor": None,
               "_pigment_note": "latent_sample is the deterministic encoder mean, unscaled"}
    save_json(vae_cfg, f"{d}/vae_encoder/config.json")
    save_json(vae_cfg, f"{d}/vae_decoder/config.json")
    save_json({"_class_name": "PigmentDemoTextEncoder", "vocab_size": len(tok), "hidden_size": D,
               "max_position_embeddings": MAX_LEN, "num_hidden_layers": len(te.blocks)},
              f"{d}/text_encoder/config.json")
    save_json({"_class_name": "PigmentDemoUNet", "in_channels": 4, "out_channels": 4, "sample_size": 16,
               "cross_attention_dim": D, "block_out_channels": list(unet_channels(unet)),
               "training_step": int(s["step"])}, f"{d}/unet/config.json")

    files = sorted(f for f in glob.glob(f"{d}/**/*", recursive=True)
                   if os.path.isfile(f) and "/train/" not in f and not f.endswith("pigment.json")
                   and not f.endswith("README.md") and not f.endswith(".png"))  # card + sample grid: docs
    rec = dict(RECOMMENDED, guidance=a.guidance)
    save_json({"name": "Pigment demo (emoji)", "family": "stable-diffusion", "licence": LICENCE,
               "recommended": rec,
               "sha256": {os.path.relpath(f, d): sha256(f) for f in files}}, f"{d}/pigment.json")
    total = sum(os.path.getsize(f) for f in glob.glob(f"{d}/**/*", recursive=True)
                if os.path.isfile(f) and "/train/" not in f)
    print(f"exported step {s['step']} to {d}; folder size {total / 1e6:.1f} MB")


def e2e_check(tok, te, unet, dec, scaling, guidance, m_te, m_un, m_de, steps=20):
    """The whole text-to-image contract through the ONNX graphs (numpy interpreter) versus PyTorch:
    tokenize -> text_encoder on [uncond, cond] -> Euler loop with CFG -> decode(latent / scaling)."""
    prompts, seeds = ["red heart", "blue car"], [0, 1]
    with torch.no_grad():
        ref = euler_sample(unet, te, dec, tok, prompts, seeds, scaling, steps=steps, guidance=guidance).numpy()
    ts, sig = (v.numpy() for v in euler_timesteps_sigmas(steps))
    ids = np.array([tok.encode("")] * len(prompts) + [tok.encode(p) for p in prompts], dtype=np.int32)
    ctx = onnx_numpy.run(m_te, {"input_ids": ids})[0]
    x = np.stack([torch.randn(4, 16, 16, generator=torch.Generator().manual_seed(s)).numpy() for s in seeds])
    x = x * np.float32((sig.max() ** 2 + 1) ** 0.5)
    for i, t in enumerate(ts):
        xin = np.concatenate([x, x]) / np.float32((sig[i] ** 2 + 1) ** 0.5)
        eps = onnx_numpy.run(m_un, {"sample": xin.astype(np.float32), "timestep": np.array([t], np.float32),
                                    "encoder_hidden_states": ctx})[0]
        e_u, e_c = eps[:len(prompts)], eps[len(prompts):]
        x = x + (e_u + guidance * (e_c - e_u)) * (sig[i + 1] - sig[i])
    img = onnx_numpy.run(m_de, {"latent_sample": (x / np.float32(scaling)).astype(np.float32)})[0]
    err = float(np.abs(img - ref).max())
    print(f"end-to-end {steps}-step guided sample: onnx vs torch max |diff| {err:.2e}")
    if not err < 2e-2:
        raise SystemExit(f"end-to-end ONNX sample differs from PyTorch by {err}")


def unet_channels(unet):
    return (unet.conv_in.out_channels, unet.d1.c1.out_channels, unet.d2.c1.out_channels)


if __name__ == "__main__":
    main()
