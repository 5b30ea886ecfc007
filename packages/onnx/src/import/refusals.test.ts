// Folding and refusals on hand-built files (tooling/onnx-import/make_edge_onnx.py): an If whose condition folds
// from a static shape is inlined (numbers checked against onnxruntime-node on the same file); an If on the
// runtime batch size, an op with no IR form, an opset out of range, layout 1 and bytes that are no model are
// refused with errors that name the node, its op and why.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jsBackend } from "@recurrent/backend-js";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { expect, test } from "vitest";
import { OnnxImportError } from "./errors.js";
import { type ImportOptions, importOnnx } from "./importer.js";

const DIR = join(import.meta.dirname, "..", "..", "test-fixtures", "edge");
const file = (name: string): Uint8Array => readFileSync(join(DIR, `${name}.onnx`));

/** Bytes plus import options, for {@link refusal}. */
const importOnly = (bytes: Uint8Array, options: ImportOptions): [Uint8Array, ImportOptions] => [bytes, options];

function refusal(input: Uint8Array | [Uint8Array, ImportOptions]): OnnxImportError {
  const [bytes, options] = input instanceof Uint8Array ? [input, {}] : input;
  try {
    importOnnx(bytes, options);
  } catch (err) {
    expect(err).toBeInstanceOf(OnnxImportError);
    return err as OnnxImportError;
  }
  throw new Error("importOnnx accepted the file");
}

test("an If on the static feature size is folded and its then-branch inlined (matches onnxruntime-node)", async () => {
  const bytes = file("if_static");
  const { model, weights, outputs } = importOnnx(bytes);
  expect(model.nodes.map((n) => n.op)).toEqual(["input", "rnn", "dense"]);
  const [T, B, D] = [6, 2, 5];
  const data = Float32Array.from({ length: T * B * D }, (_, i) => Math.sin(i * 0.37));
  const exe = await jsBackend().compile(model, weights);
  const got = (await exe.run({ x: { shape: [T, B, D], data } }))[outputs.y as string];
  const session = await InferenceSession.create(bytes);
  const want = (await session.run({ x: new OrtTensor("float32", data, [T, B, D]) })).y?.data as Float32Array;
  expect(got?.shape).toEqual([T, B, 3]);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i]! - got!.data[i]!));
  expect(worst).toBeLessThan(1e-5);
  await exe.dispose();
  await session.release();
});

test("an If on the runtime batch size is refused as dynamic, naming the If and where the value comes from", () => {
  const err = refusal(file("if_dynamic"));
  expect(err.code).toBe("DYNAMIC");
  expect(err.node).toBe('"branch"');
  expect(err.message).toMatch(
    /^node "branch" \(If\): the condition \("cond"\) cannot be folded at import: .*"batch".*node "equal", Equal/,
  );
});

test("an op with no IR form is refused naming the node and the op", () => {
  const err = refusal(file("unsupported_op"));
  expect(err.code).toBe("UNSUPPORTED_NODE");
  expect(err.opType).toBe("Erf");
  expect(err.message).toMatch(/^node "erf_1" \(Erf\): this op has no Recurrent IR form/);
});

test("an opset outside 13..26 is refused with both numbers", () => {
  const err = refusal(file("opset_9"));
  expect(err.code).toBe("OPSET");
  expect(err.message).toBe("the model imports opset 9 of the default domain; importOnnx reads opsets 13 to 26");
});

test("bytes that are no ONNX model are refused", () => {
  expect(refusal(Uint8Array.of(0xff, 0xff, 0xff)).code).toBe("NOT_ONNX");
  expect(refusal(new Uint8Array()).code).toBe("NOT_ONNX");
});

test("layout=1 (batch-major) is refused naming the recurrent node", () => {
  const err = refusal(file("layout_1"));
  expect(err.code).toBe("UNSUPPORTED_NODE");
  expect(err.opType).toBe("LSTM");
  expect(err.message).toMatch(/^node "lstm" \(LSTM\): layout=1 \(batch-major\) is refused/);
});

test("a Conv whose pads fit none of same / causal / valid is refused naming the Conv and the three paddings", () => {
  const err = refusal(file("conv_pads"));
  expect(err.code).toBe("UNSUPPORTED_NODE");
  expect(err.opType).toBe("Conv");
  expect(err.message).toBe(
    'node "conv" (Conv): pads [1, 1] (kernel 4, dilation 1) fit none of the IR\'s paddings: same [1, 2], causal [3, 0], valid [0, 0]',
  );
});

test("a grouped Conv is refused naming the Conv and its group", () => {
  const err = refusal(file("conv_group"));
  expect(err.code).toBe("UNSUPPORTED_NODE");
  expect(err.message).toMatch(/^node "conv_g2" \(Conv\): group=2 .* has no IR form; only group 1$/);
});

test("a Pad in edge mode is refused naming the Pad and its mode", () => {
  const err = refusal(file("pad_edge"));
  expect(err.code).toBe("UNSUPPORTED_NODE");
  expect(err.message).toBe('node "pad_edge" (Pad): mode "edge" has no IR form (constant 0 or reflect)');
});

// mini_silero (tooling/onnx-import/make_torch_onnx.py) has Silero's glue: Ifs on the conv output's steps, which
// follow the input's "sequence" dim, and an int scalar input `sr`.
const miniSilero = (): Uint8Array =>
  readFileSync(join(import.meta.dirname, "..", "..", "test-fixtures", "torch", "mini_silero.onnx"));

test("an If on a length that follows an open input dim is refused naming the If and the dims option to pass", () => {
  const err = refusal(importOnly(miniSilero(), { constants: { sr: 16000 } }));
  expect(err.code).toBe("DYNAMIC");
  expect(err.opType).toBe("If");
  expect(err.message).toMatch(/^node "\/If" \(If\): the condition .* depends on the runtime size "[^"]+\.time"/);
  expect(err.message).toMatch(/fix the input's size with importOnnx\(bytes, \{ dims: \{ sequence: <size> \} \}\)$/);
});

test("a runtime scalar input that the graph needs folded is refused naming the node and the constants option", () => {
  const err = refusal(importOnly(miniSilero(), { dims: { sequence: 96 } }));
  expect(err.code).toBe("DYNAMIC");
  expect(err.node).toBe('"/Add_1"');
  expect(err.message).toMatch(
    /^node "\/Add_1" \(Add\): an operand cannot be folded at import: graph input "sr" is a scalar known only at run time; fold it with importOnnx\(bytes, \{ constants: \{ sr: <value> \} \}\)/,
  );
});

test("options naming no input or dim are refused with what the file has", () => {
  expect(refusal(importOnly(miniSilero(), { dims: { samples: 96 } })).message).toBe(
    'dims.samples: no graph input has a dim named "samples" (named dims: batch, sequence)',
  );
  expect(refusal(importOnly(miniSilero(), { constants: { rate: 16000 } })).message).toBe(
    'constants.rate: the file has no graph input "rate" (its inputs: x, state, sr)',
  );
});
