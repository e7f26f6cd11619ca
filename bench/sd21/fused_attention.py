"""Exports diffusers' attention layers as ONNX Runtime's fused com.microsoft::MultiHeadAttention.

Why: the stock export spells attention out as MatMul -> Mul -> Softmax -> MatMul over [batch*heads,
tokens, tokens]; at 64x64 latents SD 2.1's self-attention materialises 4096 x 4096 scores per head
(and the softmax a second copy), ~1 GB of a UNet step's peak. ONNX Runtime's CPU kernel for
MultiHeadAttention (contrib op, domain com.microsoft, opset 1) runs MLAS flash attention when there is
no mask, no attention bias, no past/present key-value and the CPU's L2 size is known: the scores are
computed in L2-sized tiles and never stored whole.

`use_fused_attention(module, torch)` swaps the processor of every diffusers `Attention` in `module`
for `FusedAttnProcessor`, which computes exactly what diffusers' `AttnProcessor` computes (same
projections, same scale, same residual / rescale) but hands Q, K, V to one `_MultiHeadAttention`
autograd function. In PyTorch its forward is plain attention; in torch.onnx.export (torch 1.13) its
`symbolic` writes the fused op. Layers with a mask or q/k norms fall back to the stock processor.
Exporting needs `custom_opsets={"com.microsoft": 1}`.
"""


def use_fused_attention(module, torch):
    """Replaces the processor of every diffusers Attention in `module`; returns how many."""
    from diffusers.models.attention_processor import Attention, AttnProcessor

    function = _function(torch)
    count = 0
    for m in module.modules():
        if isinstance(m, Attention):
            m.set_processor(FusedAttnProcessor(function, AttnProcessor()))
            count += 1
    return count


def _function(torch):
    class _MultiHeadAttention(torch.autograd.Function):
        """softmax(Q K^T * scale) V over `heads` heads; Q [B, S, heads*d], K/V [B, L, heads*d]."""

        @staticmethod
        def forward(ctx, q, k, v, heads, scale):
            b, s, _ = q.shape
            split = lambda t: t.reshape(b, t.shape[1], heads, -1).transpose(1, 2)  # noqa: E731
            weights = torch.softmax(torch.matmul(split(q), split(k).transpose(-1, -2)) * scale, dim=-1)
            out = torch.matmul(weights, split(v))
            return out.transpose(1, 2).reshape(b, s, -1)

        @staticmethod
        def symbolic(g, q, k, v, heads, scale):
            out = g.op("com.microsoft::MultiHeadAttention", q, k, v, num_heads_i=heads, scale_f=scale)
            out.setType(q.type())
            return out

    return _MultiHeadAttention


class FusedAttnProcessor:
    """diffusers' AttnProcessor with the attention core as one MultiHeadAttention call."""

    def __init__(self, function, fallback):
        self.function = function
        self.fallback = fallback

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None,
                 *args, **kwargs):
        if attention_mask is not None or getattr(attn, "norm_q", None) is not None \
                or getattr(attn, "norm_k", None) is not None:
            return self.fallback(attn, hidden_states, encoder_hidden_states, attention_mask, temb, *args, **kwargs)
        residual = hidden_states
        if attn.spatial_norm is not None:
            hidden_states = attn.spatial_norm(hidden_states, temb)
        four_d = hidden_states.ndim == 4
        if four_d:
            batch, channels, height, width = hidden_states.shape
            hidden_states = hidden_states.view(batch, channels, height * width).transpose(1, 2)
        if attn.group_norm is not None:
            hidden_states = attn.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)
        query = attn.to_q(hidden_states)
        if encoder_hidden_states is None:
            encoder_hidden_states = hidden_states
        elif attn.norm_cross:
            encoder_hidden_states = attn.norm_encoder_hidden_states(encoder_hidden_states)
        key = attn.to_k(encoder_hidden_states)
        value = attn.to_v(encoder_hidden_states)
        hidden_states = self.function.apply(query, key, value, int(attn.heads), float(attn.scale))
        hidden_states = attn.to_out[1](attn.to_out[0](hidden_states))
        if four_d:
            hidden_states = hidden_states.transpose(-1, -2).reshape(batch, channels, height, width)
        if attn.residual_connection:
            hidden_states = hidden_states + residual
        return hidden_states / attn.rescale_output_factor
