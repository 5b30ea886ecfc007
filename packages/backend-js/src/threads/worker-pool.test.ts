import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import { afterAll, describe, expect, test } from "vitest";
import { compileProgram } from "../engine/program.js";
import { kernelMode, productKernelChoice } from "../math/wasm/simd-support.js";
import { type BackwardReply, weightLayout } from "./protocol.js";
import { WorkerPool } from "./worker-pool.js";

const model = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 1 })]));
const program = compileProgram(model, initWeights(model, { seed: 1 }));
const layout = weightLayout(program.weights, program.weightShapes);
const { format, name, nodes, outputs } = model;
const pool = WorkerPool.create({
  kind: "init",
  graph: { format, name, nodes, outputs },
  options: {},
  output: "out",
  layout,
  weights: new SharedArrayBuffer(layout.total * 4),
})!;
const forward = { kind: "forward", mode: kernelMode(), product: productKernelChoice(), carry: false } as const;

describe("WorkerPool (threads/)", () => {
  afterAll(() => pool.terminate());

  test("a BackendError in a worker comes back as a BackendError with its code and message", async () => {
    const [link] = pool.take(1);
    await expect(
      link!.request({ ...forward, id: 1, shards: [{ slot: 0, feeds: {}, seed: 0.5 }] }),
    ).rejects.toMatchObject({ name: "BackendError", code: "MISSING_FEED", message: expect.stringContaining('"x"') });
  });

  test("any other failure comes back as an Error naming the worker, and the worker keeps serving", async () => {
    const [link] = pool.take(1);
    const x = { shape: [2, 1, 2], data: Float32Array.of(1, 2, 3, 4) };
    const job = { slot: 0, feeds: { x, lengths: Int32Array.of(2) }, seed: 0.5 };
    const reply = await link!.request({ ...forward, id: 2, shards: [job] });
    expect(reply).toMatchObject({ kind: "forward", id: 2, outputs: [{ shape: [2, 1, 1] }] });
    // Two seeds for the one shard of that forward: the second has no shard to go to.
    const seed = new Float32Array(2).fill(1);
    await expect(link!.request({ kind: "backward", id: 3, seeds: [seed, seed] })).rejects.toThrow(
      /^training worker 1: /,
    );
    await link!.request({ ...forward, id: 4, shards: [job] });
    const grads = await link!.request<BackwardReply>({ kind: "backward", id: 5, seeds: [seed] });
    expect(grads.id).toBe(5);
    expect(grads.grads[0]!.length).toBe(layout.total);
  });

  test("take starts workers only up to the count asked for", () => {
    expect(pool.take(2)).toHaveLength(2);
    expect(pool.size).toBe(2);
    expect(pool.take(1)).toHaveLength(1);
    expect(pool.size).toBe(2);
  });
});
