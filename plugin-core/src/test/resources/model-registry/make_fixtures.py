#!/usr/bin/python3
"""Writes the tiny ONNX graphs the model-registry tests read.

Run with Debian's python3-onnx (1.12):  /usr/bin/python3 make_fixtures.py
The outputs are committed next to this script, so the build needs no Python.

They carry the graph inputs/outputs, element types and symbolic axes of real diffusers
ONNX exports (optimum), which is what the registry checks; the arithmetic inside is
minimal but valid, so ONNX Runtime loads every file (a test cross-checks that).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 17)]


def save(graph, name, **kwargs):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="pigment-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.save_model(model, path, **kwargs)


def scale(name, n, value=0.5):
    return numpy_helper.from_array(np.full([n], value, dtype=np.float32), name)


def text_encoder():
    # input_ids [batch, 77] int32 -> last_hidden_state [batch, 77, 8], pooler_output [batch, 8]
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["ids_f", "axis2"], ["ids_3d"]),
        helper.make_node("Mul", ["ids_3d", "w"], ["last_hidden_state"]),
        helper.make_node("ReduceMean", ["last_hidden_state"], ["pooler_output"], axes=[1], keepdims=0),
    ]
    inits = [numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
             numpy_helper.from_array(np.linspace(-1, 1, 8, dtype=np.float32), "w")]
    g = helper.make_graph(
        nodes, "text_encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", 77])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", 77, 8]),
         helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch", 8])],
        inits)
    save(g, "text_encoder.onnx")


def unet(name, sample="sample", timestep="timestep", ehs="encoder_hidden_states", external=False,
         initializers_as_inputs=False):
    # out_sample = sample * w + mean(timestep) + mean(encoder_hidden_states) + mean(table);
    # "table" (4 KiB) gives the external-data variant a weights file worth truncating.
    nodes = [
        helper.make_node("Cast", [timestep], ["t_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceMean", ["t_f"], ["t_mean"], keepdims=0),
        helper.make_node("ReduceMean", [ehs], ["c_mean"], keepdims=0),
        helper.make_node("ReduceMean", ["table"], ["b_mean"], keepdims=0),
        helper.make_node("Mul", [sample, "w"], ["scaled"]),
        helper.make_node("Add", ["scaled", "t_mean"], ["shifted"]),
        helper.make_node("Add", ["shifted", "c_mean"], ["conditioned"]),
        helper.make_node("Add", ["conditioned", "b_mean"], ["out_sample"]),
    ]
    inits = [numpy_helper.from_array(np.linspace(0.5, 1.5, 4, dtype=np.float32).reshape(4, 1, 1), "w"),
             numpy_helper.from_array(np.linspace(-1, 1, 1024, dtype=np.float32), "table")]
    g = helper.make_graph(
        nodes, "unet",
        [helper.make_tensor_value_info(sample, TensorProto.FLOAT, ["batch", 4, "height", "width"]),
         helper.make_tensor_value_info(timestep, TensorProto.INT64, [1]),
         helper.make_tensor_value_info(ehs, TensorProto.FLOAT, ["batch", "sequence", 8])],
        [helper.make_tensor_value_info("out_sample", TensorProto.FLOAT, ["batch", 4, "height", "width"])],
        inits)
    if initializers_as_inputs:
        # Older exporters (keep_initializers_as_inputs) list the weights among the graph inputs too.
        g.input.extend([helper.make_tensor_value_info("w", TensorProto.FLOAT, [4, 1, 1]),
                        helper.make_tensor_value_info("table", TensorProto.FLOAT, [1024])])
    if external:
        # onnx appends to an existing weights file: start from nothing so reruns give the same bytes
        weights = os.path.join(HERE, os.path.dirname(name), "weights.pb")
        if os.path.exists(weights):
            os.remove(weights)
        save(g, name, save_as_external_data=True, all_tensors_to_one_file=True,
             location="weights.pb", size_threshold=0)
    else:
        save(g, name)


def vae_encoder():
    # sample [batch, 3, H, W] -> latent_sample [batch, 4, H/8, W/8] via an 8x8 stride-8 convolution
    w = np.linspace(-0.1, 0.1, 4 * 3 * 8 * 8, dtype=np.float32).reshape(4, 3, 8, 8)
    g = helper.make_graph(
        [helper.make_node("Conv", ["sample", "w"], ["latent_sample"], kernel_shape=[8, 8], strides=[8, 8])],
        "vae_encoder",
        [helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
        [helper.make_tensor_value_info("latent_sample", TensorProto.FLOAT, ["batch", 4, "latent_height", "latent_width"])],
        [numpy_helper.from_array(w, "w")])
    save(g, "vae_encoder.onnx")


def vae_decoder():
    # latent_sample [batch, 4, h, w] -> sample [batch, 3, 8h, 8w] via a stride-8 transposed convolution
    w = np.linspace(-0.1, 0.1, 4 * 3 * 8 * 8, dtype=np.float32).reshape(4, 3, 8, 8)
    g = helper.make_graph(
        [helper.make_node("ConvTranspose", ["latent_sample", "w"], ["sample"], kernel_shape=[8, 8], strides=[8, 8])],
        "vae_decoder",
        [helper.make_tensor_value_info("latent_sample", TensorProto.FLOAT, ["batch", 4, "latent_height", "latent_width"])],
        [helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
        [numpy_helper.from_array(w, "w")])
    save(g, "vae_decoder.onnx")


def transformer():
    # Z-Image-style DiT: hidden_states [batch, image_seq, 64], timestep [batch], encoder_hidden_states [batch, text_seq, 16]
    nodes = [
        helper.make_node("ReduceMean", ["timestep"], ["t_mean"], keepdims=0),
        helper.make_node("ReduceMean", ["encoder_hidden_states"], ["c_mean"], keepdims=0),
        helper.make_node("Mul", ["hidden_states", "w"], ["scaled"]),
        helper.make_node("Add", ["scaled", "t_mean"], ["shifted"]),
        helper.make_node("Add", ["shifted", "c_mean"], ["sample"]),
    ]
    g = helper.make_graph(
        nodes, "transformer",
        [helper.make_tensor_value_info("hidden_states", TensorProto.FLOAT, ["batch", "image_sequence", 64]),
         helper.make_tensor_value_info("timestep", TensorProto.FLOAT, ["batch"]),
         helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch", "text_sequence", 16]),
         # position ids and pad masks of Pigment's "rope": "ids" convention (models/export/zimage_onnx.py)
         helper.make_tensor_value_info("img_ids", TensorProto.INT64, ["image_sequence", 3]),
         helper.make_tensor_value_info("txt_ids", TensorProto.INT64, ["text_sequence", 3]),
         helper.make_tensor_value_info("img_pad_mask", TensorProto.INT64, ["image_sequence"]),
         helper.make_tensor_value_info("txt_pad_mask", TensorProto.INT64, ["text_sequence"])],
        [helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", "image_sequence", 64])],
        [numpy_helper.from_array(np.linspace(0.5, 1.5, 64, dtype=np.float32), "w")])
    save(g, "transformer.onnx")


if __name__ == "__main__":
    text_encoder()
    unet("unet.onnx")
    unet("unet_wrong_names.onnx", sample="x", timestep="t", ehs="context")
    unet("unet_external/model.onnx", external=True)
    unet("unet_initializers_as_inputs.onnx", initializers_as_inputs=True)
    vae_encoder()
    vae_decoder()
    transformer()
