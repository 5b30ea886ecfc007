// Layout views and the io adapters on small hand-worked tensors (expected numbers written out by index).
import { expect, test } from "vitest";
import type { ImportedIo } from "./io.js";
import { fromImportedResults, ImportedIoError, toImportedFeeds } from "./io.js";
import { fromView, LayoutError, squeezeView, toView, transposeView, unsqueezeView } from "./layout.js";

const iota = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);

test("Unsqueeze gives a left-out unit IR axis its letter back, else `1`", () => {
  expect(unsqueezeView("TBF", [1, "batch", 128], "BF", [0])).toBe("TBF"); // Silero's step back to [1, B, C]
  expect(unsqueezeView("TBF", [1, "batch", 128], "BF", [-1])).toBe("BFT"); // … or to Conv's [B, C, 1]
  expect(unsqueezeView("BF", ["batch", 128], "BF", [0])).toBe("1BF"); // a vector has no T to give
  expect(unsqueezeView("DBF", [1, "batch", 128], "BF", [0])).toBe("DBF");
  expect(() => unsqueezeView("BF", ["batch", 4], "BF", [3])).toThrow(LayoutError);
});

test("Squeeze drops unit axes only; Transpose permutes the view", () => {
  expect(squeezeView("TBF", [1, "batch", 1], "BFT", [1])).toBe("BT");
  expect(squeezeView("TBF", [1, "batch", 1], "BFT", undefined)).toBe("B");
  expect(() => squeezeView("TBF", [4, "batch", 1], "BFT", [2])).toThrow("axis 2 has size 4, not 1");
  expect(transposeView("BFT", [2, 0, 1])).toBe("TBF");
  expect(transposeView("TBF", undefined)).toBe("FBT");
});

test("toView / fromView move data between IR and ONNX layouts", () => {
  // IR [T=2, B=3, F=1] (value t·3 + b) seen as ONNX [B, T]: entry [b][t] = t·3 + b.
  const audio = toView({ shape: [2, 3, 1], data: iota(6) }, "TBF", "BT");
  expect(audio.shape).toEqual([3, 2]);
  expect([...audio.data]).toEqual([0, 3, 1, 4, 2, 5]);
  const back = fromView(audio, "TBF", "BT");
  expect(back.shape).toEqual([2, 3, 1]);
  expect([...back.data]).toEqual([0, 1, 2, 3, 4, 5]);
  // IR [T=2, B=1, F=3] (value t·3 + f) seen as Conv's [B, C, L]: entry [0][f][t] = t·3 + f.
  const conv = toView({ shape: [2, 1, 3], data: iota(6) }, "TBF", "BFT");
  expect(conv.shape).toEqual([1, 3, 2]);
  expect([...conv.data]).toEqual([0, 3, 1, 4, 2, 5]);
  // A vector with a unit axis in front: same data.
  const stacked = toView({ shape: [2, 2], data: iota(4) }, "BF", "1BF");
  expect(stacked.shape).toEqual([1, 2, 2]);
  expect([...stacked.data]).toEqual([0, 1, 2, 3]);
  expect(() => toView({ shape: [2, 3, 2], data: iota(12) }, "TBF", "BT")).toThrow("IR axis F has size 2");
});

const io: ImportedIo = {
  inputs: [
    { kind: "tensor", onnx: "input", stacked: false, parts: [{ ir: "input", axes: "TBF", view: "BT" }] },
    {
      kind: "tensor",
      onnx: "state",
      stacked: true,
      parts: [
        { ir: "state[0]", axes: "DBF", view: "BF", index: 0 },
        { ir: "state[1]", axes: "DBF", view: "BF", index: 1 },
      ],
    },
  ],
  outputs: [
    {
      kind: "tensor",
      onnx: "stateN",
      stacked: true,
      parts: [
        { ir: "h", axes: "BF", view: "BF" },
        { ir: "lstm/c", axes: "DBF", view: "BF" },
      ],
    },
  ],
  constants: { sr: [16000] },
};

test("toImportedFeeds transposes audio, splits a state stack and checks a folded constant", () => {
  const feeds = toImportedFeeds(io, {
    input: { shape: [2, 3], data: iota(6) }, // [B=2, S=3]: entry [b][s] = b·3 + s
    state: { dims: [2, 1, 2], data: Float32Array.of(1, 2, 3, 4) },
    sr: { dims: [], data: BigInt64Array.of(16000n) },
  });
  expect(feeds.input).toEqual({ shape: [3, 2, 1], data: Float32Array.of(0, 3, 1, 4, 2, 5) });
  expect(feeds["state[0]"]).toEqual({ shape: [1, 1, 2], data: Float32Array.of(1, 2) });
  expect(feeds["state[1]"]).toEqual({ shape: [1, 1, 2], data: Float32Array.of(3, 4) });
  expect(feeds.sr).toBeUndefined();
  expect(() =>
    toImportedFeeds(io, {
      input: { shape: [1, 3], data: iota(3) },
      state: { shape: [2, 1, 2], data: iota(4) },
      sr: { shape: [], data: [8000] },
    }),
  ).toThrow(
    new ImportedIoError(
      'feed "sr" is [8000] but the model was imported with constants.sr = [16000]; import it again with that value',
    ),
  );
  expect(() => toImportedFeeds(io, { input: { shape: [1, 3], data: iota(3) } })).toThrow('feed "state" is missing');
});

test("fromImportedResults stacks the parts of a stacked output on a new axis 0", () => {
  const out = fromImportedResults(io, {
    h: { shape: [1, 2], data: Float32Array.of(1, 2) },
    "lstm/c": { shape: [1, 1, 2], data: Float32Array.of(3, 4) },
  });
  expect(out.stateN).toEqual({ shape: [2, 1, 2], data: Float32Array.of(1, 2, 3, 4) });
  expect(() => fromImportedResults(io, { h: { shape: [1, 2], data: iota(2) } })).toThrow(
    'result "lstm/c" (behind output "stateN") is missing',
  );
});
