/**
 * The fused WebAssembly time loops (lstm-wasm.ts, gru-wasm.ts, simple-wasm.ts) against the JavaScript loops
 * with the scalar kernels (`setKernelMode("scalar")`: no WebAssembly at all, float64 products), forward and
 * backward, for every cell, every H class (1, 3, 5, 7: padded; 8: whole vectors; 126: padded, large),
 * every direction, ragged lengths including 0 and T, and fed initial states. The JavaScript loops over the
 * SIMD products (mode "gemm", the path of a runtime whose fused loop is off) are held to the same oracle.
 * Finite-difference checks of the fused paths are in gradcheck.test.ts (which runs in the default mode), and
 * the conformance suite runs in the default and the scalar mode (math/wasm/fallback-conformance.test.ts).
 */
import {
  directionsOf,
  gru,
  input,
  type LayerNode,
  lstm,
  type RnnNode,
  sequential,
  simpleRnn,
  type Tensor,
} from "@recurrent/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { modelOf, pad, randomTensor } from "../../../test/helpers.js";
import { compileProgram } from "../../engine/program.js";
import { wasmArena } from "../../math/wasm/arena.js";
import { setKernelMode, simdSupported } from "../../math/wasm/simd-support.js";

afterEach(() => setKernelMode("auto"));

const T = 6;
const B = 4;
const D = 3;
const LENGTHS = new Int32Array([6, 0, 3, 5]);

type Cell = "lstm" | "gru" | "gru reset-before" | "simple tanh" | "simple relu";
const CELLS: Cell[] = ["lstm", "gru", "gru reset-before", "simple tanh", "simple relu"];
const LOOP: Record<Cell, "lstm_forward" | "gru_forward" | "simple_forward"> = {
  lstm: "lstm_forward",
  gru: "gru_forward",
  "gru reset-before": "gru_forward",
  "simple tanh": "simple_forward",
  "simple relu": "simple_forward",
};

function layer(cell: Cell, units: number, direction: "forward" | "reverse" | "bidirectional"): LayerNode {
  // concat: the backward sees each direction's output gradient as a strided slice.
  const merge = direction === "bidirectional" ? { merge: "concat" as const } : {};
  switch (cell) {
    case "lstm":
      return lstm("r", { units, direction, ...merge });
    case "gru":
      return gru("r", { units, direction, ...merge });
    case "gru reset-before":
      return gru("r", { units, direction, ...merge, resetAfter: false });
    case "simple tanh":
      return simpleRnn("r", { units, direction, ...merge });
    case "simple relu":
      return simpleRnn("r", { units, direction, ...merge, activation: "relu" });
  }
}

/** Outputs, final states and every gradient of one forward + backward, copied. */
function run(cell: Cell, H: number, direction: "forward" | "reverse" | "bidirectional") {
  const { model, weights } = modelOf(sequential("m", [input("x", D), layer(cell, H, direction)]), 7);
  const node = model.nodes.find((n) => n.op === "rnn") as RnnNode;
  const dirs = directionsOf(node);
  const program = compileProgram(model, weights);
  const feeds: Record<string, Tensor | Int32Array> = {
    x: pad(randomTensor([T, B, D], 11), LENGTHS),
    lengths: LENGTHS,
    "r/h": randomTensor([dirs, B, H], 12, 0.5),
  };
  if (cell === "lstm") feeds["r/c"] = randomTensor([dirs, B, H], 13, 0.5);
  const names = ["r", "r/h", ...(cell === "lstm" ? ["r/c"] : [])];
  const tape = program.forward(feeds);
  const values = new Map(names.map((n) => [n, tape.value(n).data.slice()]));
  const seeds = new Map(names.map((n, i) => [n, randomTensor(tape.value(n).shape, 20 + i).data]));
  const grads = program.backward(tape, seeds);
  const all = new Map(values);
  for (const [k, g] of grads.weightGrads) all.set(`d ${k}`, g.slice());
  for (const [k, g] of grads.inputGrads) all.set(`d ${k}`, g.slice());
  return all;
}

function expectClose(got: Map<string, Float32Array>, want: Map<string, Float32Array>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [name, w] of want) {
    const g = got.get(name)!;
    let scale = 0;
    for (let i = 0; i < w.length; i++) scale = Math.max(scale, Math.abs(w[i]!));
    let worst = 0;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!));
    // float32 products against float64 ones: relative to the array's largest entry.
    expect(worst, `${name} (largest |value| ${scale})`).toBeLessThanOrEqual(2e-5 * Math.max(1, scale));
  }
}

describe.skipIf(!simdSupported())("fused time loops vs the scalar JavaScript loops", () => {
  for (const cell of CELLS) {
    for (const H of [1, 3, 5, 7, 8, 126]) {
      for (const direction of ["forward", "reverse", "bidirectional"] as const) {
        if (H === 126 && direction !== "bidirectional") continue; // one large case per cell is enough
        test(`${cell} H=${H} ${direction}`, () => {
          setKernelMode("scalar");
          const want = run(cell, H, direction);
          setKernelMode("gemm");
          expectClose(run(cell, H, direction), want);
          setKernelMode("auto");
          const spy = vi.spyOn(wasmArena()!.kernels, LOOP[cell]);
          const got = run(cell, H, direction);
          expect(spy).toHaveBeenCalled();
          spy.mockRestore();
          expectClose(got, want);
          // Padded frames of x get exactly zero gradient, and a sample of length 0 a zero final state.
          const dx = got.get("d x")!;
          expect(dx.subarray((4 * B + 2) * D, (4 * B + 3) * D).every((v) => v === 0)).toBe(true);
          const hN = got.get("r/h")!;
          expect(hN.subarray(H, 2 * H).every((v) => v === 0)).toBe(true);
        });
      }
    }
  }
});
