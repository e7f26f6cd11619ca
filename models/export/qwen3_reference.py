"""transformers' real Qwen3 decoder layers on torch 1.13, without installing transformers.

transformers gates itself off below torch 2.4, so the package cannot be imported here. This loads one file,
``src/transformers/models/qwen3/modeling_qwen3.py`` of a transformers checkout (read in place, never copied), in a
stand-in ``transformers`` package whose other modules are inert: decorators that return their argument, empty cache
and output classes, and the eager attention path the file itself defines. Every piece of Qwen3 maths that the text
encoder uses (Qwen3RMSNorm, Qwen3MLP, Qwen3RotaryEmbedding, rotate_half, apply_rotary_pos_emb, repeat_kv,
eager_attention_forward, Qwen3Attention, Qwen3DecoderLayer) is the file's own code.

hidden_states_minus_2() then does what Qwen3Model.forward does for one unpadded prompt (embed, rotary embeddings
for positions 0..L-1, the causal mask create_causal_mask makes for eager attention, the decoder layers) and returns
hidden_states[-2], the input of the last layer: what Z-Image conditions on.
"""
import contextlib
import importlib.util
import sys
import types

import torch
from torch import nn


def _identity(f):
    """A decorator used bare (@auto_docstring) that changes nothing."""
    return f


def _identity_factory(*a, **k):
    """A decorator factory (@use_kernel_forward_from_hub("RMSNorm")) whose decorator changes nothing."""
    return _identity


class _Anything:
    def __init__(self, *a, **k):
        pass

    def __class_getitem__(cls, item):
        return cls


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__path__ = []
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def load(modeling_file):
    """Imports modeling_qwen3.py from its path and returns the module."""
    root = "pigment_tf"
    _module(root)
    _module(root + ".models")
    _module(root + ".models.qwen3")
    _module(root + ".activations", ACT2FN={"silu": nn.SiLU()})
    _module(root + ".cache_utils", Cache=_Anything, DynamicCache=_Anything)
    _module(root + ".generation", GenerationMixin=type("GenerationMixin", (), {}))
    _module(root + ".integrations", use_kernel_forward_from_hub=_identity_factory,
            use_kernel_func_from_hub=_identity_factory, use_kernelized_func=_identity_factory)
    _module(root + ".masking_utils", create_causal_mask=None, create_sliding_window_causal_mask=None)
    _module(root + ".modeling_flash_attention_utils", FlashAttentionKwargs=_Anything)
    _module(root + ".modeling_layers", GradientCheckpointingLayer=nn.Module,
            GenericForQuestionAnswering=type("GQA", (), {}), GenericForSequenceClassification=type("GSC", (), {}),
            GenericForTokenClassification=type("GTC", (), {}))
    _module(root + ".modeling_outputs", BaseModelOutputWithPast=_Anything, CausalLMOutputWithPast=_Anything)
    _module(root + ".modeling_rope_utils", ROPE_INIT_FUNCTIONS={}, dynamic_rope_update=lambda f: f)
    _module(root + ".modeling_utils", ALL_ATTENTION_FUNCTIONS=types.SimpleNamespace(
        get_interface=lambda name, default: default), PreTrainedModel=nn.Module)
    _module(root + ".processing_utils", Unpack=_Anything)
    _module(root + ".utils", TransformersKwargs=_Anything, auto_docstring=_identity,
            can_return_tuple=_identity)
    _module(root + ".utils.generic", maybe_autocast=lambda *a, **k: contextlib.nullcontext(),
            merge_with_config_defaults=_identity, check_model_inputs=_identity_factory)
    _module(root + ".utils.output_capturing", capture_outputs=_identity)
    _module(root + ".utils.deprecation", deprecate_kwarg=_identity_factory)
    _module(root + ".models.qwen3.configuration_qwen3", Qwen3Config=_Anything)
    spec = importlib.util.spec_from_file_location(root + ".models.qwen3.modeling_qwen3", str(modeling_file))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def config(hidden, layers, heads, kv_heads, head_dim, inter, theta, eps):
    return types.SimpleNamespace(
        hidden_size=hidden, intermediate_size=inter, num_attention_heads=heads, num_key_value_heads=kv_heads,
        head_dim=head_dim, rms_norm_eps=eps, hidden_act="silu", attention_bias=False, attention_dropout=0.0,
        rope_parameters={"rope_type": "default", "rope_theta": theta}, rope_theta=theta, rope_scaling=None,
        max_position_embeddings=4096, _attn_implementation="eager", sliding_window=None,
        layer_types=["full_attention"] * layers, num_hidden_layers=layers)


class Qwen3Reference(nn.Module):
    """embed_tokens + the real decoder layers up to hidden_states[-2] (all but the last layer)."""

    def __init__(self, mod, cfg, vocab):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, cfg.hidden_size)
        self.layers = nn.ModuleList(mod.Qwen3DecoderLayer(cfg, i) for i in range(cfg.num_hidden_layers - 1))
        self.rotary_emb = mod.Qwen3RotaryEmbedding(cfg)

    @torch.no_grad()
    def hidden_states_minus_2(self, input_ids):
        x = self.embed_tokens(input_ids)
        n = input_ids.shape[1]
        position_ids = torch.arange(n)[None]
        cos_sin = self.rotary_emb(x, position_ids)
        # create_causal_mask for eager attention: 0 where attended, the dtype's minimum above the diagonal
        mask = torch.full((n, n), torch.finfo(x.dtype).min).triu(1)[None, None]
        for layer in self.layers:
            x = layer(x, attention_mask=mask, position_ids=position_ids, position_embeddings=cos_sin)
        return x
