/**
 * The deployment contract, checked the way a deployer meets it: exported files driven by onnxruntime-node's
 * InferenceSession alone (no Recurrent runtime code in the loop; Recurrent only builds and exports the model).
 * Streaming in chunks of 1, 7 and 10 frames, each chunk's final states fed back as the next chunk's initial
 * states by the documented naming rule (`<id>/h` → `<id>/h_0`), must match one whole-utterance run.
 */
import { assertValid, dense, type Graph, gru, initWeights, input, lstm, sequential, simpleRnn } from "@recurrent/core";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { afterAll, describe, expect, test } from "vitest";
import { exportOnnx } from "./export/index.js";

const T = 37;
const B = 2;
const D = 5;
const ATOL = 1e-5;

const CASES: readonly { name: string; graph: Graph; states: readonly string[] }[] = [
  {
    name: "LSTM",
    graph: sequential("lstm", [input("x", D), lstm("l", { units: 8 }), dense("out", { units: 4 })]),
    states: ["l/h_0", "l/c_0"],
  },
  {
    name: "GRU",
    graph: sequential("gru", [input("x", D), gru("g", { units: 8 }), dense("out", { units: 4 })]),
    states: ["g/h_0"],
  },
  {
    name: "simple RNN",
    graph: sequential("rnn", [input("x", D), simpleRnn("r", { units: 8 }), dense("out", { units: 4 })]),
    states: ["r/h_0"],
  },
  {
    name: "2-layer LSTM → GRU stack with a dense head",
    graph: sequential("stack", [
      input("x", D),
      lstm("l1", { units: 8 }),
      gru("l2", { units: 6 }),
      dense("out", { units: 4, activation: "tanh" }),
    ]),
    states: ["l1/h_0", "l1/c_0", "l2/h_0"],
  },
];

/** A deterministic pseudo-random input (a plain LCG, so the test owns its data). */
function randomInput(seed: number): Float32Array {
  const data = new Float32Array(T * B * D);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32) * 4 - 2;
  }
  return data;
}

/** The documented pairing: the state input `<id>/h_0` takes the value of the output `<id>/h`. */
const outputOf = (stateInput: string) => stateInput.slice(0, -"_0".length);

const sessions: InferenceSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.release()));
});

describe.each(CASES)("$name streams in plain onnxruntime-node", ({ graph, states }) => {
  const model = assertValid(graph);
  const bytes = exportOnnx(model, initWeights(model, { seed: 7 }));
  const x = randomInput(11);
  const open = async () => {
    const session = await InferenceSession.create(bytes, { logSeverityLevel: 3 });
    sessions.push(session);
    return session;
  };

  /** Runs frames [t0, t0 + n) with the given states; returns the outputs. */
  async function runChunk(session: InferenceSession, t0: number, n: number, state: Record<string, OrtTensor>) {
    const chunk = x.subarray(t0 * B * D, (t0 + n) * B * D);
    return session.run({
      x: new OrtTensor("float32", chunk, [n, B, D]),
      lengths: new OrtTensor(
        "int32",
        Int32Array.from({ length: B }, () => n),
        [B],
      ),
      ...state,
    });
  }

  const zeros = (session: InferenceSession) =>
    Object.fromEntries(
      states.map((name) => {
        const meta = session.inputMetadata.find((m) => m.name === name);
        const dims = (meta?.isTensor ? meta.shape : []).map((d) => (typeof d === "number" ? d : B));
        return [name, new OrtTensor("float32", new Float32Array(dims.reduce((a, b) => a * b, 1)), dims)];
      }),
    );

  /** The next chunk's initial states: each state input takes its paired output. */
  const stateFrom = (results: InferenceSession.OnnxValueMapType) =>
    Object.fromEntries(states.map((name) => [name, results[outputOf(name)] as OrtTensor]));

  test("its state inputs are real inputs, listed by onnxruntime-node", async () => {
    const session = await open();
    expect(session.inputNames).toEqual(["x", "lengths", ...states]);
    for (const name of states) expect(session.outputNames).toContain(outputOf(name));
  });

  test.each([1, 7, 10])(
    `chunks of %i frames with the states fed back match the whole run within ${ATOL}`,
    async (n) => {
      const session = await open();
      const whole = await runChunk(session, 0, T, zeros(session));
      const streamed = new Float32Array((whole.out!.data as Float32Array).length);
      let state: Record<string, OrtTensor> = zeros(session);
      let last: Awaited<ReturnType<typeof runChunk>> | undefined;
      for (let t0 = 0; t0 < T; t0 += n) {
        const size = Math.min(n, T - t0);
        last = await runChunk(session, t0, size, state);
        const out = last.out!.data as Float32Array;
        streamed.set(out, (t0 * out.length) / size);
        state = stateFrom(last);
      }
      let maxDiff = 0;
      const expected = whole.out!.data as Float32Array;
      for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(streamed[i]! - expected[i]!));
      for (const name of states) {
        const a = last![outputOf(name)]!.data as Float32Array;
        const b = whole[outputOf(name)]!.data as Float32Array;
        for (let i = 0; i < b.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
      }
      console.info(`${graph.name}: chunks of ${n}, max |streamed − whole| = ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThanOrEqual(ATOL);
      // Not vacuous: the fed states matter (restarting the second chunk from zeros gives other numbers).
      const second = stateFrom(await runChunk(session, 0, n, zeros(session)));
      const fed = await runChunk(session, n, n, second);
      const reset = await runChunk(session, n, n, zeros(session));
      expect(fed.out!.data).not.toEqual(reset.out!.data);
    },
  );
});
