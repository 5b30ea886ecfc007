import {
  assertValid,
  dense,
  fullLengths,
  gru,
  initWeights,
  input,
  lstm,
  sequential,
  stream,
  type Tensor,
} from "@recurrent/core";
import { expect, test } from "vitest";
import { randomTensor } from "../test/helpers.js";
import { tfjsBackend } from "./index.js";

// A stream carries the state feeds <id>/h, <id>/c from one push to the next, so frame-by-frame pushes must
// reproduce one run over the whole sequence (whose numbers the conformance suite checks against PyTorch).
const model = assertValid(
  sequential("causal", [
    input("x", 3),
    lstm("l1", { units: 4 }),
    gru("l2", { units: 3 }),
    dense("out", { units: 2, activation: "tanh" }),
  ]),
);
const weights = initWeights(model, { seed: 7 });
const T = 12;
const B = 2;
const x = randomTensor([T, B, 3], 3);
const frame = (t: number): Tensor => ({ shape: [B, 3], data: x.data.slice(t * B * 3, (t + 1) * B * 3) });

test.each(["cpu", "wasm"])("frame-by-frame and chunked streaming on %s equal one whole-sequence run", async (name) => {
  const exe = await tfjsBackend({ backend: name }).compile(model, weights);
  const whole = (await exe.run({ x, lengths: fullLengths(x) })).out!;
  const s = stream(exe);
  for (let t = 0; t < T; t++) {
    const { out } = await s.push(frame(t));
    expect(out!.shape).toEqual([B, 2]);
    const expected = whole.data.subarray(t * B * 2, (t + 1) * B * 2);
    out!.data.forEach((v, i) => {
      expect(v, `t=${t} [${i}]`).toBeCloseTo(expected[i]!, 5);
    });
  }
  expect(s.frames).toBe(T);
  s.reset();
  const first = await s.push({ shape: [5, B, 3], data: x.data.slice(0, 5 * B * 3) });
  const rest = await s.push({ shape: [T - 5, B, 3], data: x.data.slice(5 * B * 3) });
  const joined = [...first.out!.data, ...rest.out!.data];
  joined.forEach((v, i) => {
    expect(v, `chunked [${i}]`).toBeCloseTo(whole.data[i]!, 5);
  });
  await exe.dispose();
});
