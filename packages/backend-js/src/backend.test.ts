import {
  BackendError,
  createRng,
  dense,
  dropout,
  fullLengths,
  gru,
  input,
  lstm,
  rnn,
  sequential,
  simpleRnn,
  type Tensor,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { modelOf, pad, randomTensor } from "../test/helpers.js";
import { compileProgram } from "./engine/program.js";
import { jsBackend } from "./index.js";

function close(a: Float32Array, b: Float32Array, atol = 1e-6): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThanOrEqual(atol);
}

/** Frames of sample b, `[L, 1, D]`. */
function sample(x: Tensor, b: number, L: number): Tensor {
  const [, B, D] = x.shape as [number, number, number];
  const data = new Float32Array(L * D);
  for (let t = 0; t < L; t++) data.set(x.data.subarray((t * B + b) * D, (t * B + b + 1) * D), t * D);
  return { shape: [L, 1, D], data };
}

describe("jsBackend", () => {
  test("is a fresh object named js that supports every node", () => {
    const a = jsBackend();
    expect(a.name).toBe("js");
    expect(a).not.toBe(jsBackend());
    expect(a.supports(dense("d", { units: 1 }))).toBe(true);
  });

  const cells = [
    ["lstm", lstm("r", { units: 4, direction: "bidirectional", merge: "concat" })],
    ["gru", gru("r", { units: 4, direction: "reverse" })],
    ["gru reset-before", gru("r", { units: 4, direction: "bidirectional", resetAfter: false, merge: "mul" })],
    ["simple", simpleRnn("r", { units: 4, direction: "bidirectional", tiedDirections: true })],
  ] as const;
  for (const [name, layer] of cells) {
    test(`${name}: each sample of a padded batch equals that sample run alone (reverse runs its valid prefix)`, async () => {
      const { model, weights } = modelOf(sequential("m", [input("x", 3), layer, dense("d", { units: 2 })]), 5);
      const lengths = new Int32Array([6, 2, 0, 4]);
      const x = pad(randomTensor([6, 4, 3], 2), lengths);
      const exe = await jsBackend().compile(model, weights);
      const batch = await exe.run({ x, lengths }, { fetch: ["d", "r/h"] });
      const dirs = layer.direction === "bidirectional" ? 2 : 1;
      for (let b = 0; b < 4; b++) {
        const L = lengths[b]!;
        const one = sample(x, b, L);
        const alone = await exe.run({ x: one, lengths: fullLengths(one) }, { fetch: ["d", "r/h"] });
        const got = sample(batch.d!, b, 6).data;
        close(got.subarray(0, L * 2), alone.d!.data);
        expect(got.subarray(L * 2).every((v) => v === 0)).toBe(true);
        for (let d = 0; d < dirs; d++) {
          const h = batch["r/h"]!.data.subarray((d * 4 + b) * 4, (d * 4 + b + 1) * 4);
          close(h, L === 0 ? new Float32Array(4) : alone["r/h"]!.data.subarray(d * 4, d * 4 + 4));
        }
      }
    });
  }

  for (const cell of ["lstm", "gru", "simple"] as const) {
    test(`${cell}: streaming frame by frame with state feeds equals one run`, async () => {
      const { model, weights } = modelOf(
        sequential("s", [input("x", 3), rnn("r", { cell, units: 5 }), dense("o", { units: 2 })]),
        7,
      );
      const exe = await jsBackend().compile(model, weights);
      const x = randomTensor([7, 2, 3], 3);
      const whole = await exe.run({ x, lengths: fullLengths(x) }, { fetch: ["o", "r/h"] });
      const keys = cell === "lstm" ? ["r/h", "r/c"] : ["r/h"];
      let states: Record<string, Tensor> = {};
      const frames: Float32Array[] = [];
      for (let t = 0; t < 7; t++) {
        const frame = { shape: [1, 2, 3], data: x.data.slice(t * 6, (t + 1) * 6) };
        const out = await exe.run({ x: frame, lengths: fullLengths(frame), ...states }, { fetch: ["o", ...keys] });
        frames.push(out.o!.data);
        states = Object.fromEntries(keys.map((k) => [k, out[k]!]));
      }
      const streamed = new Float32Array(7 * 2 * 2);
      frames.forEach((f, t) => {
        streamed.set(f, t * 4);
      });
      close(streamed, whole.o!.data, 1e-6);
      close(states["r/h"]!.data, whole["r/h"]!.data, 1e-6);
    });
  }

  test("run validates fetch names and refuses after dispose", async () => {
    const { model, weights } = modelOf(sequential("m", [input("x", 3, { lengths: false }), dense("d", { units: 2 })]));
    const exe = await jsBackend().compile(model, weights);
    const x = randomTensor([2, 1, 3], 1);
    await expect(exe.run({ x }, { fetch: ["nope"] })).rejects.toMatchObject({ code: "BAD_CONFIG" });
    const a = await exe.run({ x });
    const b = await exe.run({ x: randomTensor([2, 1, 3], 2) });
    expect(a.d!.data).not.toEqual(b.d!.data); // outputs are copies, not reused buffers
    await exe.dispose();
    await expect(exe.run({ x })).rejects.toMatchObject({ code: "DISPOSED" });
  });

  test("several fetched values come back right-sized, disjoint and untouched by later runs", async () => {
    const { model, weights } = modelOf(
      sequential("m", [input("x", 3, { lengths: false }), lstm("l", { units: 4 }), dense("d", { units: 2 })]),
    );
    const exe = await jsBackend().compile(model, weights);
    const x = randomTensor([3, 2, 3], 1);
    const fetch = ["d", "l/h", "l/c", "l"];
    const out = await exe.run({ x }, { fetch });
    const tape = compileProgram(model, weights).forward({ x }, { record: false });
    const kept = fetch.map((name) => Float32Array.from(out[name]!.data));
    for (const name of fetch) {
      expect(out[name]!.shape).toEqual(tape.value(name).shape);
      expect(Array.from(out[name]!.data)).toEqual(Array.from(tape.value(name).data));
    }
    // Writing into one result leaves every other one as it was.
    out.d!.data.fill(Number.NaN);
    for (const [i, name] of fetch.entries()) {
      if (name !== "d") expect(Array.from(out[name]!.data)).toEqual(Array.from(kept[i]!));
    }
    await exe.run({ x: randomTensor([3, 2, 3], 2) }, { fetch });
    expect(Array.from(out["l/h"]!.data)).toEqual(Array.from(kept[1]!));
  });

  test("gradients() returns loss, every weight and every float feed, with dropout off", async () => {
    const { model, weights } = modelOf(
      sequential("g", [input("x", 3), dropout("drop", 0.9), lstm("l", { units: 3 }), dense("d", { units: 2 })]),
    );
    const x = randomTensor([4, 2, 3], 1);
    const target = randomTensor([4, 2, 2], 2);
    const backend = jsBackend();
    const a = await backend.gradients(
      model,
      weights,
      { inputs: { x, lengths: fullLengths(x), "l/h": randomTensor([1, 2, 3], 4) }, target },
      { loss: "mse" },
    );
    const b = await backend.gradients(
      model,
      weights,
      { inputs: { x, lengths: fullLengths(x), "l/h": randomTensor([1, 2, 3], 4) }, target },
      { loss: "mse" },
    );
    expect(a.loss).toBe(b.loss);
    expect(Object.keys(a.weights).sort()).toEqual(Object.keys(weights).sort());
    expect(Object.keys(a.inputs).sort()).toEqual(["l/h", "x"]);
    expect(a.inputs["l/h"]!.shape).toEqual([1, 2, 3]);
    expect(a.weights["d/weight"]!.shape).toEqual([2, 3]);
  });
});

describe("program", () => {
  const { model, weights } = modelOf(
    sequential("p", [input("x", 2, { lengths: false }), gru("g", { units: 3 }), dense("d", { units: 1 })]),
  );
  const x = randomTensor([3, 2, 2], 1);

  test("a stale or unrecorded tape cannot be backpropagated", () => {
    const program = compileProgram(model, weights);
    const first = program.forward({ x });
    program.forward({ x });
    const seed = new Map([["d", new Float32Array(6)]]);
    expect(() => program.backward(first, seed)).toThrow(BackendError);
    expect(() => program.backward(program.forward({ x }, { record: false }), seed)).toThrow(/record: false/);
    expect(() => program.backward(program.forward({ x }), new Map([["d", new Float32Array(5)]]))).toThrow(/5 values/);
  });

  test("weights mutated in place are used by the next forward; setWeights and snapshotWeights round-trip", () => {
    const program = compileProgram(model, weights);
    const before = program.forward({ x }).value("d").data.slice();
    program.weights.get("d/bias")![0]! += 1;
    const after = program.forward({ x }).value("d").data;
    close(
      after.map((v, i) => v - before[i]!),
      new Float32Array(6).fill(1),
      1e-6,
    );
    const snap = program.snapshotWeights();
    program.setWeights(weights);
    close(program.forward({ x }).value("d").data, before);
    expect(snap["d/bias"]!.data[0]).toBeCloseTo(weights["d/bias"]!.data[0]! + 1, 6);
    expect(() => program.setWeights({ ...weights, "d/bias": randomTensor([2], 1) })).toThrow(/expected \[1\]/);
  });

  test("backward without input gradients returns the same weight gradients", () => {
    const program = compileProgram(model, weights);
    const seed = new Map([["d", randomTensor([3, 2, 1], 9).data]]);
    const full = program.backward(program.forward({ x }), seed);
    const withInputs = new Map([...full.weightGrads].map(([k, g]) => [k, g.slice()]));
    expect(full.inputGrads.get("x")!.some((v) => v !== 0)).toBe(true);
    const lean = program.backward(program.forward({ x }), seed, { inputGrads: false });
    expect(lean.inputGrads.size).toBe(0);
    for (const [k, g] of lean.weightGrads) close(g, withInputs.get(k)!, 0);
  });

  test("dropout in training drops about `rate`, scales kept values by 1/(1−rate) and needs an rng", () => {
    const m = modelOf(sequential("dr", [input("x", 50, { lengths: false }), dropout("drop", 0.25)]));
    const program = compileProgram(m.model, m.weights);
    const ones = { shape: [4, 10, 50], data: new Float32Array(2000).fill(1) };
    expect(() => program.forward({ x: ones }, { training: true })).toThrow(/needs an rng/);
    const y = program.forward({ x: ones }, { training: true, rng: createRng(1) }).value("drop").data;
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(kept.length / y.length).toBeGreaterThan(0.72);
    expect(kept.length / y.length).toBeLessThan(0.78);
    const tape = program.forward({ x: ones }, { training: true, rng: createRng(1) });
    const mask = tape.value("drop").data.slice();
    const g = program.backward(tape, new Map([["drop", new Float32Array(2000).fill(1)]])).inputGrads.get("x")!;
    close(g, mask, 0);
    close(program.forward({ x: ones }).value("drop").data, ones.data, 0); // identity at inference
  });
});
