"""Run diffusers' real Z-Image classes on Debian's torch 1.13 (python3-torch), offline.

Used by the fixture generator and by the export recipe's self-check. Nothing here touches model maths
except the scaled_dot_product_attention polyfill, which is torch's documented reference formula.
See ../../docs/models.md ("Reference implementation on torch 1.13") for why each shim exists.

Usage: ``import reference_shims; reference_shims.install(diffusers_src)`` where diffusers_src is the
``src`` folder of a diffusers checkout (v0.40.0: ``git archive v0.40.0 src/diffusers``). The source is
imported in place, never copied.
"""
import contextlib
import importlib
import importlib.abc
import importlib.util
import math
import sys
import types

import torch
import torch.nn.functional as F


def _sdpa(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False):
    """torch >= 2.5's F.scaled_dot_product_attention, by its documented reference implementation."""
    L, S = query.size(-2), key.size(-2)
    scale_factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    if enable_gqa and key.size(-3) != query.size(-3):
        rep = query.size(-3) // key.size(-3)
        key = key.repeat_interleave(rep, -3)
        value = value.repeat_interleave(rep, -3)
    attn = query @ key.transpose(-2, -1) * scale_factor
    if is_causal:
        causal = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn = attn.masked_fill(~causal, float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn = attn.masked_fill(~attn_mask, float("-inf"))
        else:
            attn = attn + attn_mask
    attn = torch.softmax(attn, dim=-1)
    return attn @ value


class _Inert(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.startswith("is_"):
            return lambda *a, **k: False
        return lambda *a, **k: 0  # device_count, empty_cache, synchronize, manual_seed...


def _stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__path__ = []
    for k, v in attrs.items():
        setattr(mod, k, v)
    sys.modules[name] = mod
    return mod


class _Anything:
    """A stand-in class for type hints and isinstance checks of libraries we do not run."""

    def __init__(self, *a, **k):
        pass

    def __class_getitem__(cls, item):
        return cls


def _torch_attributes():
    if not hasattr(F, "scaled_dot_product_attention"):
        F.scaled_dot_product_attention = _sdpa
    for name in ("xpu", "mps"):
        if not hasattr(torch, name) or name == "xpu":
            setattr(torch, name, _Inert("torch." + name))
    if not hasattr(torch.backends, "mps"):
        torch.backends.mps = _Inert("torch.backends.mps")

    def disable(fn=None, *a, **k):
        return fn if callable(fn) else (lambda f: f)

    compiler = types.ModuleType("torch.compiler")
    compiler.disable = disable
    compiler.is_compiling = lambda: False
    compiler.allow_in_graph = lambda f: f
    torch.compiler = compiler
    sys.modules["torch.compiler"] = compiler
    for name in ("float8_e4m3fn", "float8_e5m2", "uint16", "uint32", "uint64"):
        if not hasattr(torch, name):
            setattr(torch, name, torch.float32 if name.startswith("float") else torch.int64)
    _stub("torch.distributed._functional_collectives")
    torch.distributed._functional_collectives = sys.modules["torch.distributed._functional_collectives"]
    torch.distributed.device_mesh = _stub("torch.distributed.device_mesh", DeviceMesh=_Anything,
                                          init_device_mesh=lambda *a, **k: None)


class _AnyModule(types.ModuleType):
    """A library we never run (hub, safetensors, httpx, transformers): any name resolves to an inert stand-in."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.isupper():
            value = "/nonexistent" if ("HOME" in name or "CACHE" in name or "PATH" in name) else ""
            if "OFFLINE" in name:
                value = True
        elif name[:1].isupper():
            value = type(name, (Exception if name.endswith("Error") else _Anything,), {})
        elif name.startswith("is_"):
            value = lambda *a, **k: False
        else:
            value = lambda *a, **k: (a[0] if len(a) == 1 and callable(a[0]) else None)
        setattr(self, name, value)
        return value


class _AnyFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    roots = ("huggingface_hub", "safetensors", "httpx", "transformers", "hf_xet")

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in self.roots:
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        mod = _AnyModule(spec.name)
        mod.__path__ = []
        mod.__version__ = {"huggingface_hub": "0.30.2", "transformers": "4.52.0"}.get(spec.name, "0.0.0")
        return mod

    def exec_module(self, module):
        pass


def _library_stubs():
    sys.meta_path.insert(0, _AnyFinder())


def install(diffusers_src):
    """Makes ``import diffusers...`` load the real files from diffusers_src with the shims in place."""
    _torch_attributes()
    _library_stubs()
    sys.path.insert(0, str(diffusers_src))
    root = types.ModuleType("diffusers")
    root.__path__ = [str(diffusers_src) + "/diffusers"]
    root.__version__ = "0.40.0"
    sys.modules["diffusers"] = root
    import diffusers.utils.import_utils as iu
    iu._transformers_available = True
    iu._transformers_version = "4.52.0"
    for pkg in ("diffusers.models.transformers", "diffusers.models.autoencoders"):
        mod = types.ModuleType(pkg)
        mod.__path__ = [str(diffusers_src) + "/" + pkg.replace(".", "/")]
        sys.modules[pkg] = mod
    tzi = importlib.import_module("diffusers.models.transformers.transformer_z_image")
    akl = importlib.import_module("diffusers.models.autoencoders.autoencoder_kl")
    sys.modules["diffusers.models.transformers"].ZImageTransformer2DModel = tzi.ZImageTransformer2DModel
    sys.modules["diffusers.models.autoencoders"].AutoencoderKL = akl.AutoencoderKL
    tzi.torch = _TorchProxy()
    return tzi, akl


class _TorchProxy(types.ModuleType):
    """transformer_z_image's module-global ``torch``, changed in two ways only: ``torch.device(...)`` also works as a
    context manager (a no-op on the CPU), and int32 position ids become int64 (1.13 indexes with long only)."""

    def __init__(self):
        super().__init__("torch")

    def __getattr__(self, name):
        if name == "device":
            return _device
        if name == "int32":
            return torch.int64
        return getattr(torch, name)


def _device(*a, **k):
    d = torch.device(*a, **k)
    return _DeviceCtx(d)


class _DeviceCtx(contextlib.AbstractContextManager):
    def __init__(self, d):
        self.d = d

    def __exit__(self, *exc):
        return False

    def __getattr__(self, name):
        return getattr(self.d, name)
