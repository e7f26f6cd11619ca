"""A minimal numpy interpreter for the ONNX operators our exported graphs use.

python3-onnx 1.12 has no onnx.reference evaluator and onnxruntime is not packaged for Debian, so the
export check runs the graphs with this independent implementation (written from the ONNX operator
spec, not from PyTorch) and compares the results with PyTorch. Unknown operators raise, so a graph
that uses something new fails loudly instead of being silently skipped.
"""
import math

import numpy as np
from onnx import helper, numpy_helper

try:
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover
    _erf = np.vectorize(math.erf, otypes=[np.float32])


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, at):
    assert at.get("group", 1) == 1 and all(d == 1 for d in at.get("dilations", [1, 1]))
    sh, sw = at.get("strides", [1, 1])
    pt, pl, pb, pr = at.get("pads", [0, 0, 0, 0])
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    oh = (h + pt + pb - kh) // sh + 1
    ow = (wd + pl + pr - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = xp[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    y = np.tensordot(w.reshape(o, -1), cols.reshape(n, c * kh * kw, oh * ow), axes=([1], [1]))
    y = y.transpose(1, 0, 2).reshape(n, o, oh, ow)
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y.astype(np.float32)


def _resize(x, roi, scales, sizes, at):
    assert at.get("mode", b"nearest") in (b"nearest", "nearest")
    if sizes is not None and len(sizes):
        out = [int(s) for s in sizes]
    else:
        out = [int(math.floor(d * s)) for d, s in zip(x.shape, scales)]
    y = x
    for ax, (din, dout) in enumerate(zip(x.shape, out)):
        if din == dout:
            continue
        # asymmetric coordinates + floor: the mapping torch's nearest upsampling exports with
        idx = np.minimum(np.floor(np.arange(dout) * (din / dout)).astype(np.int64), din - 1)
        y = np.take(y, idx, axis=ax)
    return y


def _slice(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    sl = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        sl[int(a)] = slice(int(s), int(max(min(e, 2 ** 62), -(2 ** 62))), int(st))
    return x[tuple(sl)]


_ONNX_TO_NP = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64}


def run(model, feeds):
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    env.update({k: np.asarray(v) for k, v in feeds.items()})
    for node in g.node:
        a = _attrs(node)
        i = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            r = numpy_helper.to_array(a["value"])
        elif op == "Identity":
            r = i[0]
        elif op == "Add":
            r = i[0] + i[1]
        elif op == "Sub":
            r = i[0] - i[1]
        elif op == "Mul":
            r = i[0] * i[1]
        elif op == "Div":
            r = i[0] / i[1] if i[0].dtype.kind == "f" else i[0] // i[1]
        elif op == "Pow":
            r = np.power(i[0], i[1])
        elif op == "Sqrt":
            r = np.sqrt(i[0])
        elif op == "Erf":
            r = _erf(i[0]).astype(i[0].dtype)
        elif op == "Sigmoid":
            r = 1.0 / (1.0 + np.exp(-i[0]))
        elif op == "Cos":
            r = np.cos(i[0])
        elif op == "Sin":
            r = np.sin(i[0])
        elif op == "Tanh":
            r = np.tanh(i[0])
        elif op == "Cast":
            r = i[0].astype(_ONNX_TO_NP[a["to"]])
        elif op == "Shape":
            r = np.array(i[0].shape, dtype=np.int64)
        elif op == "Gather":
            r = np.take(i[0], i[1].astype(np.int64), axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            r = i[0]
            for ax in sorted(int(v) % (r.ndim + 1) for v in i[1]):
                r = np.expand_dims(r, ax)
        elif op == "Squeeze":
            r = np.squeeze(i[0], axis=tuple(int(v) for v in i[1]))
        elif op == "Concat":
            r = np.concatenate(i, axis=a["axis"])
        elif op == "Reshape":
            shape = [int(s) for s in i[1]]
            shape = [i[0].shape[k] if s == 0 else s for k, s in enumerate(shape)]
            r = i[0].reshape(shape)
        elif op == "Transpose":
            r = np.transpose(i[0], a.get("perm"))
        elif op == "Expand":
            r = i[0] * np.ones([int(s) for s in i[1]], dtype=i[0].dtype)
        elif op == "Slice":
            r = _slice(i[0], i[1], i[2], i[3] if len(i) > 3 else None, i[4] if len(i) > 4 else None)
        elif op == "MatMul":
            r = np.matmul(i[0], i[1])
        elif op == "Gemm":
            A = i[0].T if a.get("transA", 0) else i[0]
            B = i[1].T if a.get("transB", 0) else i[1]
            r = a.get("alpha", 1.0) * (A @ B)
            if len(i) > 2 and i[2] is not None:
                r = r + a.get("beta", 1.0) * i[2]
        elif op == "Softmax":
            x = i[0] - i[0].max(axis=a.get("axis", -1), keepdims=True)
            e = np.exp(x)
            r = e / e.sum(axis=a.get("axis", -1), keepdims=True)
        elif op == "ReduceMean":
            r = i[0].mean(axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "LayerNormalization":
            ax = a.get("axis", -1)
            axes = tuple(range(ax % i[0].ndim, i[0].ndim))
            mu = i[0].mean(axis=axes, keepdims=True)
            var = ((i[0] - mu) ** 2).mean(axis=axes, keepdims=True)
            r = (i[0] - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * i[1]
            if len(i) > 2 and i[2] is not None:
                r = r + i[2]
        elif op == "InstanceNormalization":
            x = i[0]
            axes = tuple(range(2, x.ndim))
            mu = x.mean(axis=axes, keepdims=True)
            var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
            sh = (1, -1) + (1,) * (x.ndim - 2)
            r = (x - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * i[1].reshape(sh) + i[2].reshape(sh)
        elif op == "Conv":
            r = _conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "Resize":
            r = _resize(i[0], i[1] if len(i) > 1 else None, i[2] if len(i) > 2 else None,
                        i[3] if len(i) > 3 else None, a)
        else:
            raise NotImplementedError(f"onnx_numpy: operator {op} is not implemented")
        if isinstance(r, np.ndarray) and r.dtype == np.float64:
            r = r.astype(np.float32)
        env[node.output[0]] = np.asarray(r)
    return [env[o.name] for o in g.output]
