"""Hand-built ONNX files (onnx.helper) for @recurrent/onnx's importer tests of folding and refusals:

- if_static.onnx: an LSTM whose output goes through an `If` on `Shape(x)[2] == 5` (the feature size, known at
  import) to a Linear head in the then-branch and a Relu in the else-branch; the importer must inline the
  then-branch. Expected outputs come from onnxruntime in the test.
- if_dynamic.onnx: the same `If` on `Shape(x)[1] == 1` (the batch size, known only at run time): refused.
- unsupported_op.onnx: an LSTM followed by `Erf`: refused naming the node.
- layout_1.onnx: an LSTM with layout=1 (batch-major): refused.
- opset_9.onnx: a one-node model at opset 9: refused (opset out of range).
- conv_pads.onnx: audio [batch, 32] → Unsqueeze(1) → Conv k4 with pads [1, 1] (fits none of same [1, 2],
  causal [3, 0], valid [0, 0]): refused naming the Conv.
- conv_group.onnx: a Conv with group 2: refused naming the Conv.
- pad_edge.onnx: audio [batch, 32] → Pad mode "edge" → Unsqueeze(1) → Conv k1: refused naming the Pad.

Run from the repository root:  /usr/bin/python3 tooling/onnx-import/make_edge_onnx.py
Outputs: packages/onnx/test-fixtures/edge/*.onnx
"""

import os

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "packages", "onnx", "test-fixtures", "edge")
D, H, C = 5, 4, 3
rng = np.random.default_rng(16)


def init(name, *shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.5, name)


def lstm_nodes(layout=0):
    inits = [init("W", 1, 4 * H, D), init("R", 1, 4 * H, H), init("B", 1, 8 * H)]
    nodes = [
        helper.make_node("LSTM", ["x", "W", "R", "B"], ["Y"], name="lstm", hidden_size=H, layout=layout),
        helper.make_node("Squeeze", ["Y", "axis1"], ["seq"], name="squeeze"),
    ]
    inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"))
    return nodes, inits


def io(out_features):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", "batch", D])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["time", "batch", out_features])
    return x, y


def if_model(dim, name):
    nodes, inits = lstm_nodes()
    inits += [
        numpy_helper.from_array(np.array(dim, dtype=np.int64), "dim"),
        numpy_helper.from_array(np.array(1 if dim == 1 else D, dtype=np.int64), "want"),
        init("head_w", H, C),
        init("head_b", C),
    ]
    then_branch = helper.make_graph(
        [
            helper.make_node("MatMul", ["seq", "head_w"], ["mm"], name="head_matmul"),
            helper.make_node("Add", ["mm", "head_b"], ["then_y"], name="head_add"),
        ],
        "then",
        [],
        [helper.make_tensor_value_info("then_y", TensorProto.FLOAT, None)],
    )
    else_branch = helper.make_graph(
        [
            helper.make_node("MatMul", ["seq", "head_w"], ["mm2"], name="else_matmul"),
            helper.make_node("Relu", ["mm2"], ["else_y"], name="else_relu"),
        ],
        "else",
        [],
        [helper.make_tensor_value_info("else_y", TensorProto.FLOAT, None)],
    )
    nodes += [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "dim"], ["size"], name="gather", axis=0),
        helper.make_node("Equal", ["size", "want"], ["cond"], name="equal"),
        helper.make_node("If", ["cond"], ["y"], name="branch", then_branch=then_branch, else_branch=else_branch),
    ]
    x, y = io(C)
    graph = helper.make_graph(nodes, name, [x], [y], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def unsupported_model():
    nodes, inits = lstm_nodes()
    nodes.append(helper.make_node("Erf", ["seq"], ["y"], name="erf_1"))
    x, y = io(H)
    graph = helper.make_graph(nodes, "unsupported", [x], [y], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def layout1_model():
    nodes, inits = lstm_nodes(layout=1)
    x, y = io(H)
    graph = helper.make_graph(nodes, "layout1", [x], [helper.make_tensor_value_info("seq", TensorProto.FLOAT, None)], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def opset9_model():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", "batch", D])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["time", "batch", D])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="relu")], "old", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 9)], ir_version=4)


def audio_model(name, pre, conv_attrs, w_shape):
    """x [batch, 32] → `pre` nodes (ending in "padded") → Unsqueeze(1) → Conv → y."""
    inits = [
        init("w", *w_shape),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(np.array([0, 0, 0, 4], dtype=np.int64), "pads"),
    ]
    nodes = pre + [
        helper.make_node("Unsqueeze", ["padded", "axis1"], ["x3"], name="unsqueeze"),
        helper.make_node("Conv", ["x3", "w"], ["y"], name="conv", **conv_attrs),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 32])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    graph = helper.make_graph(nodes, name, [x], [y], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def conv_group_model():
    inits = [init("w", 4, 2, 3)]
    nodes = [
        helper.make_node("Transpose", ["x"], ["xt"], name="transpose", perm=[1, 2, 0]),
        helper.make_node("Conv", ["xt", "w"], ["y"], name="conv_g2", group=2, pads=[1, 1], kernel_shape=[3]),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", "batch", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    graph = helper.make_graph(nodes, "conv_group", [x], [y], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, model in [
        ("if_static", if_model(2, "if_static")),
        ("if_dynamic", if_model(1, "if_dynamic")),
        ("unsupported_op", unsupported_model()),
        ("layout_1", layout1_model()),
        ("opset_9", opset9_model()),
        (
            "conv_pads",
            audio_model(
                "conv_pads",
                [helper.make_node("Identity", ["x"], ["padded"], name="identity")],
                {"kernel_shape": [4], "pads": [1, 1]},
                (2, 1, 4),
            ),
        ),
        ("conv_group", conv_group_model()),
        (
            "pad_edge",
            audio_model(
                "pad_edge",
                [helper.make_node("Pad", ["x", "pads"], ["padded"], name="pad_edge", mode="edge")],
                {"kernel_shape": [1]},
                (2, 1, 1),
            ),
        ),
    ]:
        path = os.path.join(OUT_DIR, f"{name}.onnx")
        save(model, path)
        print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
