#!/usr/bin/python3
"""Writes an int8 variant of a Pigment model folder: dynamic quantization of the UNet (and optionally the
VAE decoder and text encoder) with nothing but Debian's python3-onnx and python3-numpy.

What changes, per ONNX node whose weight is a constant:
  MatMul(A, W)  ->  DynamicQuantizeLinear(A) -> MatMulInteger(A_u8, W_s8) -> Cast -> Mul(a_scale * w_scale[col])
  Conv(X, W, b) ->  DynamicQuantizeLinear(X) -> ConvInteger(X_u8, W_u8, zp, 128) -> Cast
                     -> Mul(x_scale * w_scale[out_channel]) -> Add(b)
Weights are quantized symmetrically per output column / channel (int8 for MatMul; uint8 around 128 for
Conv, the type ONNX Runtime's CPU ConvInteger takes); activations are quantized per call from their own
range (dynamic quantization, as onnxruntime.quantization.quantize_dynamic does), so no calibration set
is needed. Everything else (normalisation, attention softmax, the other components) stays float32.

Usage: /usr/bin/python3 bench/quantize/quantize_int8.py MODEL_DIR OUT_DIR [--components unet,vae_decoder]
       [--min-weights 4096]   (smaller weights stay float: their cost is the quantize step, not the maths)
Non-ONNX files are copied; pigment.json's name gets " (int8)" and its sha256 table is dropped (the
digests no longer match). See docs/benchmarks.md for the measured quality cost and speed.
"""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_graph(model, min_weights):
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    new_nodes, new_inits, counts = [], [], {"MatMul": 0, "Conv": 0}
    for node in graph.node:
        weight = inits.get(node.input[1]) if node.op_type in ("MatMul", "Conv") and len(node.input) > 1 else None
        if weight is None or np.prod(weight.dims) < min_weights:
            new_nodes.append(node)
            continue
        w = numpy_helper.to_array(weight).astype(np.float32)
        if node.op_type == "MatMul" and w.ndim == 2:
            new_nodes += matmul(node, w, new_inits)
        elif node.op_type == "Conv" and w.ndim == 4 and attribute(node, "group", 1) == 1:
            new_nodes += conv(node, w, inits, new_inits)
        else:
            new_nodes.append(node)
            continue
        counts[node.op_type] += 1
    used = {i for n in new_nodes for i in n.input}
    graph_outputs = {o.name for o in graph.output}
    keep = [t for t in graph.initializer if t.name in used or t.name in graph_outputs]
    del graph.initializer[:]
    graph.initializer.extend(keep + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    return counts


def attribute(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def quantize_input(node, out):
    x = node.input[0]
    q, s, z = f"{node.name}_xq", f"{node.name}_xs", f"{node.name}_xz"
    out.append(helper.make_node("DynamicQuantizeLinear", [x], [q, s, z], name=node.name + "_dql"))
    return q, s, z


def matmul(node, w, new_inits):
    scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
    wq = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    nodes = []
    q, s, z = quantize_input(node, nodes)
    wname, sname, zname = node.name + "_wq", node.name + "_ws", node.name + "_wz"
    new_inits += [numpy_helper.from_array(wq, wname), numpy_helper.from_array(scale.astype(np.float32), sname),
                  numpy_helper.from_array(np.zeros(w.shape[1], np.int8), zname)]
    acc = node.name + "_acc"
    nodes.append(helper.make_node("MatMulInteger", [q, wname, z, zname], [acc], name=node.name + "_mmi"))
    nodes.append(helper.make_node("Cast", [acc], [acc + "_f"], to=TensorProto.FLOAT, name=node.name + "_cast"))
    nodes.append(helper.make_node("Mul", [s, sname], [node.name + "_scale"], name=node.name + "_sc"))
    nodes.append(helper.make_node("Mul", [acc + "_f", node.name + "_scale"], [node.output[0]], name=node.name + "_mul"))
    return nodes


def conv(node, w, inits, new_inits):
    out_ch = w.shape[0]
    scale = np.maximum(np.abs(w.reshape(out_ch, -1)).max(axis=1), 1e-12) / 127.0
    wq = (np.clip(np.round(w / scale[:, None, None, None]), -127, 127) + 128).astype(np.uint8)
    nodes = []
    q, s, z = quantize_input(node, nodes)
    wname, sname, zname = node.name + "_wq", node.name + "_ws", node.name + "_wz"
    new_inits += [numpy_helper.from_array(wq, wname),
                  numpy_helper.from_array(scale.reshape(1, out_ch, 1, 1).astype(np.float32), sname),
                  numpy_helper.from_array(np.array(128, np.uint8), zname)]  # ORT's ConvInteger: one zero point
    acc = node.name + "_acc"
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    nodes.append(helper.make_node("ConvInteger", [q, wname, z, zname], [acc], name=node.name + "_ci", **attrs))
    nodes.append(helper.make_node("Cast", [acc], [acc + "_f"], to=TensorProto.FLOAT, name=node.name + "_cast"))
    nodes.append(helper.make_node("Mul", [s, sname], [node.name + "_scale"], name=node.name + "_sc"))
    result = node.name + "_deq" if len(node.input) > 2 else node.output[0]
    nodes.append(helper.make_node("Mul", [acc + "_f", node.name + "_scale"], [result], name=node.name + "_mul"))
    if len(node.input) > 2:
        bias = numpy_helper.to_array(inits[node.input[2]]).astype(np.float32).reshape(1, out_ch, 1, 1)
        bname = node.name + "_b4"
        new_inits.append(numpy_helper.from_array(bias, bname))
        nodes.append(helper.make_node("Add", [result, bname], [node.output[0]], name=node.name + "_bias"))
    return nodes


def name_nodes(model):
    for i, node in enumerate(model.graph.node):
        if not node.name:
            node.name = f"n{i}"


def quantize_component(src, dst, min_weights):
    model = onnx.load(src, load_external_data=True)
    name_nodes(model)
    counts = quantize_graph(model, min_weights)
    if not any(o.domain == "" and o.version >= 11 for o in model.opset_import):
        raise SystemExit(f"{src}: needs opset >= 11 for DynamicQuantizeLinear")
    size = sum(t.ByteSize() for t in model.graph.initializer)
    if size > 1_800_000_000:
        onnx.save_model(model, dst, save_as_external_data=True, all_tensors_to_one_file=True,
                        location="weights.pb", size_threshold=1024)
    else:
        onnx.save_model(model, dst)
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--components", default="unet")
    ap.add_argument("--min-weights", type=int, default=4096)
    args = ap.parse_args()
    components = args.components.split(",")
    if os.path.exists(args.out):
        raise SystemExit(f"{args.out} exists: choose a new folder")
    for root, dirs, files in os.walk(args.model):
        rel = os.path.relpath(root, args.model)
        if rel.split(os.sep)[0] in components:
            continue
        os.makedirs(os.path.join(args.out, rel), exist_ok=True)
        for f in files:
            shutil.copyfile(os.path.join(root, f), os.path.join(args.out, rel, f))
    for c in components:
        os.makedirs(os.path.join(args.out, c), exist_ok=True)
        for f in os.listdir(os.path.join(args.model, c)):
            if not (f.endswith(".onnx") or f.endswith(".pb") or f.endswith("_data")):
                shutil.copyfile(os.path.join(args.model, c, f), os.path.join(args.out, c, f))
        counts = quantize_component(os.path.join(args.model, c, "model.onnx"), os.path.join(args.out, c, "model.onnx"),
                                    args.min_weights)
        print(f"{c}: quantized {counts['MatMul']} MatMul and {counts['Conv']} Conv weights to 8 bits", flush=True)
    manifest = os.path.join(args.out, "pigment.json")
    if os.path.exists(manifest):
        with open(manifest) as f:
            data = json.load(f)
        data["name"] = data.get("name", os.path.basename(os.path.abspath(args.model))) + " (int8)"
        data.pop("sha256", None)
        with open(manifest, "w") as f:
            json.dump(data, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
