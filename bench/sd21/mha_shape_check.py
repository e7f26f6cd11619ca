#!/usr/bin/python3
"""One com.microsoft::MultiHeadAttention node at a given shape, with numpy inputs and reference output, in the
layout `SdTurboBenchmark --child check` reads: OUT/attn/model.onnx and OUT.check/attn/{q,k,v,output}.bin/.json.
Used to measure what ONNX Runtime's flash path saves at a shape (run the check with and without
ORT_DISABLE_FLASH_ATTENTION=1 and compare peak_mb). Usage: mha_shape_check.py OUT HEADS HEAD_SIZE TOKENS
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper


def main(out, heads, head_size, tokens):
    hidden = heads * head_size
    node = helper.make_node("MultiHeadAttention", ["q", "k", "v"], ["out"], domain="com.microsoft", num_heads=heads)
    ins = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, tokens, hidden]) for n in "qkv"]
    graph = helper.make_graph([node], "mha", ins,
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, tokens, hidden])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    os.makedirs(os.path.join(out, "attn"), exist_ok=True)
    onnx.save(model, os.path.join(out, "attn", "model.onnx"))
    rng = np.random.default_rng(0)
    x = {n: rng.standard_normal((1, tokens, hidden)).astype(np.float32) for n in "qkv"}
    result = np.empty((tokens, hidden), np.float32)
    for h in range(heads):
        cols = slice(h * head_size, (h + 1) * head_size)
        w = x["q"][0][:, cols] @ x["k"][0][:, cols].T / np.sqrt(head_size)
        w = np.exp(w - w.max(-1, keepdims=True))
        w /= w.sum(-1, keepdims=True)
        result[:, cols] = w @ x["v"][0][:, cols]
    check = os.path.join(out + ".check", "attn")
    os.makedirs(check, exist_ok=True)
    for name, t in list(x.items()) + [("output", result[None])]:
        t.astype("<f4").tofile(os.path.join(check, name + ".bin"))
        with open(os.path.join(check, name + ".json"), "w") as f:
            json.dump({"shape": list(t.shape)}, f)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
