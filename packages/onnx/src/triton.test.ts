/**
 * `recurrent-onnx triton-config`: the written config.pbtxt is parsed back and every name, data type and dim is
 * checked against the ONNX file as onnxruntime-node reads it (not against the exporter's own description), the
 * way Triton's onnxruntime backend validates a model at load. Triton itself is not run here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertValid, dense, type Graph, gru, initWeights, input, lstm, sequential } from "@recurrent/core";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { afterAll, describe, expect, test } from "vitest";
import { main } from "./cli.js";
import { exportOnnx } from "./export/index.js";
import { DataType, encodeModel, type ValueInfoProto } from "./proto/onnx.js";
import { type PbMessage, type PbValue, parsePbtxt } from "./test-pbtxt.js";

const dir = mkdtempSync(join(tmpdir(), "recurrent-onnx-triton-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function write(name: string, graph: Graph): string {
  const model = assertValid(graph);
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, exportOnnx(model, initWeights(model, { seed: 5 })));
  return file;
}

/** onnxruntime's element type → Triton's data_type. */
const TRITON_TYPE: Record<string, string> = { float32: "TYPE_FP32", int32: "TYPE_INT32" };

const one = (m: PbMessage, field: string): PbValue => {
  const values = m[field];
  expect(values, `field ${field}`).toHaveLength(1);
  return values![0]!;
};
const messages = (m: PbMessage, field: string) => (m[field] ?? []) as PbMessage[];

/** What onnxruntime-node says about a value: Triton's type and the dims Triton needs at max_batch_size 0. */
function ortView(session: InferenceSession, name: string, kind: "input" | "output") {
  const meta = (kind === "input" ? session.inputMetadata : session.outputMetadata).find((m) => m.name === name);
  if (meta === undefined || !meta.isTensor) throw new Error(`onnxruntime has no tensor ${kind} "${name}"`);
  // One sequence per request: the batch dim is 1, any other symbolic dim (time) is variable (-1).
  const dims = meta.shape.map((d) => (d === "batch" ? 1 : typeof d === "number" ? d : -1));
  return { type: TRITON_TYPE[meta.type], dims };
}

describe("triton-config", () => {
  const stack = sequential("phones", [
    input("mfcc", 3),
    lstm("l1", { units: 4 }),
    gru("l2", { units: 5 }),
    dense("out", { units: 2 }),
  ]);

  test("every name, data type and dim of config.pbtxt matches the ONNX file as onnxruntime reads it", async () => {
    const file = write("stack", stack);
    const repo = join(dir, "repo");
    const r = await cli("triton-config", file, "--out", repo, "--name", "phones", "--instances", "2");
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toContain(join(repo, "phones", "config.pbtxt"));
    const copied = join(repo, "phones", "1", "model.onnx");
    expect(readFileSync(copied).equals(readFileSync(file))).toBe(true);

    const config = parsePbtxt(readFileSync(join(repo, "phones", "config.pbtxt"), "utf8"));
    const session = await InferenceSession.create(copied, { logSeverityLevel: 3 });
    try {
      expect([one(config, "name"), one(config, "backend"), one(config, "max_batch_size")]).toEqual([
        "phones",
        "onnxruntime",
        0,
      ]);
      const batching = one(config, "sequence_batching") as PbMessage;
      const states = messages(batching, "state");
      const inputs = messages(config, "input");
      // Triton's onnxruntime backend requires config inputs + states to be exactly the model's inputs.
      expect([...inputs.map((i) => one(i, "name")), ...states.map((s) => one(s, "input_name"))].sort()).toEqual(
        [...session.inputNames].sort(),
      );
      for (const i of inputs) {
        const ort = ortView(session, one(i, "name") as string, "input");
        expect([one(i, "data_type"), i.dims]).toEqual([ort.type, ort.dims]);
      }
      const outputs = messages(config, "output");
      expect(outputs.map((o) => one(o, "name"))).toEqual(["out"]);
      for (const o of outputs) {
        const ort = ortView(session, one(o, "name") as string, "output");
        expect([one(o, "data_type"), o.dims]).toEqual([ort.type, ort.dims]);
      }
      expect(states.map((s) => [one(s, "input_name"), one(s, "output_name")])).toEqual([
        ["l1/h_0", "l1/h"],
        ["l1/c_0", "l1/c"],
        ["l2/h_0", "l2/h"],
      ]);
      for (const s of states) {
        const input = ortView(session, one(s, "input_name") as string, "input");
        const output = ortView(session, one(s, "output_name") as string, "output");
        expect([one(s, "data_type"), s.dims]).toEqual([input.type, input.dims]);
        expect(output).toEqual(input);
        const initial = one(s, "initial_state") as PbMessage;
        expect([one(initial, "data_type"), initial.dims, one(initial, "zero_data")]).toEqual([
          input.type,
          input.dims,
          true,
        ]);
      }
      expect(messages(batching, "control_input")).toEqual([]);
      expect(one(one(config, "instance_group") as PbMessage, "count")).toBe(2);

      // The pairs are the right ones: Triton's loop (zeros, then each output fed to its input) streams exactly.
      const x = Float32Array.from({ length: 6 * 3 }, (_, k) => Math.sin(k));
      const feeds = (t0: number, n: number, state: Record<string, OrtTensor>) => ({
        mfcc: new OrtTensor("float32", x.subarray(t0 * 3, (t0 + n) * 3), [n, 1, 3]),
        lengths: new OrtTensor("int32", Int32Array.of(n), [1]),
        ...state,
      });
      const zeros = Object.fromEntries(
        states.map((s) => [
          one(s, "input_name"),
          new OrtTensor(
            "float32",
            new Float32Array(s.dims!.reduce((a, b) => (a as number) * (b as number), 1) as number),
            s.dims as number[],
          ),
        ]),
      );
      const whole = await session.run(feeds(0, 6, zeros));
      const first = await session.run(feeds(0, 3, zeros));
      const next = Object.fromEntries(
        states.map((s) => [one(s, "input_name"), first[one(s, "output_name") as string] as OrtTensor]),
      );
      const second = await session.run(feeds(3, 3, next));
      const streamed = [...(first.out!.data as Float32Array), ...(second.out!.data as Float32Array)];
      const expected = [...(whole.out!.data as Float32Array)];
      expect(Math.max(...streamed.map((v, k) => Math.abs(v - expected[k]!)))).toBeLessThanOrEqual(1e-5);
    } finally {
      await session.release();
    }
  });

  test("defaults: the file's folder as repository, its name as model name", async () => {
    const file = write("defaults", stack);
    const r = await cli("triton-config", file);
    expect([r.code, r.err]).toEqual([0, ""]);
    const config = parsePbtxt(readFileSync(join(dir, "defaults", "config.pbtxt"), "utf8"));
    expect(one(config, "name")).toBe("defaults");
  });

  test("a bidirectional model: [2, 1, units] states, and the config and the command say to send whole utterances", async () => {
    const file = write("bi", sequential("bi", [input("x", 3), lstm("b", { units: 4, direction: "bidirectional" })]));
    const r = await cli("triton-config", file);
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(/note: the model is bidirectional: send each utterance whole/);
    const text = readFileSync(join(dir, "bi", "config.pbtxt"), "utf8");
    expect(text).toMatch(/# BIDIRECTIONAL: .* Send each utterance as ONE request/);
    const states = messages(one(parsePbtxt(text), "sequence_batching") as PbMessage, "state");
    expect(states.map((s) => [one(s, "input_name"), s.dims])).toEqual([
      ["b/h_0", [2, 1, 4]],
      ["b/c_0", [2, 1, 4]],
    ]);
  });

  test("a model without recurrent state gets no sequence batcher", async () => {
    const file = write("ffn", sequential("ffn", [input("x", 3), dense("out", { units: 2 })]));
    expect((await cli("triton-config", file)).code).toBe(0);
    const config = parsePbtxt(readFileSync(join(dir, "ffn", "config.pbtxt"), "utf8"));
    expect(config.sequence_batching).toBeUndefined();
    expect(messages(config, "input").map((i) => [one(i, "name"), i.dims])).toEqual([
      ["x", [-1, 1, 3]],
      ["lengths", [1]],
    ]);
  });

  test("--max-batch above 0 is refused for a time-major file, naming the value and the way out", async () => {
    const file = write("batched", stack);
    const r = await cli("triton-config", file, "--max-batch", "8");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--max-batch 8: Triton stacks requests along dim 0, but "mfcc" is \[time, batch, 3\]/);
    expect(r.err).toMatch(/serve them with --max-batch 0 and scale with --instances/);
  });

  /** A hand-built identity model (our writer; read back by onnxruntime in the test below). */
  function identityModel(file: string, inputs: ValueInfoProto[], outputs: ValueInfoProto[], initializer?: string) {
    const bytes = encodeModel({
      irVersion: 8,
      opsetVersion: 17,
      producerName: "test",
      producerVersion: "0",
      graph: {
        name: "g",
        nodes: outputs.map((o, k) => ({
          name: `n${k}`,
          opType: "Identity",
          inputs: [inputs[k]!.name],
          outputs: [o.name],
          attributes: [],
        })),
        initializers:
          initializer === undefined ? [] : [{ name: initializer, dims: [1, 1, 4], data: new Float32Array(4) }],
        inputs,
        outputs,
      },
    });
    writeFileSync(file, bytes);
  }

  test("a batch-first file can be batched: dims lose the batch dim, a [batch] input becomes [1] reshaped to []", async () => {
    const file = join(dir, "bf.onnx");
    const F = DataType.FLOAT;
    identityModel(
      file,
      [
        { name: "x", elemType: F, shape: ["batch", "time", 3] },
        { name: "n", elemType: DataType.INT32, shape: ["batch"] },
        { name: "s/h_0", elemType: F, shape: ["batch", 4] },
      ],
      [
        { name: "y", elemType: F, shape: ["batch", "time", 3] },
        { name: "m", elemType: DataType.INT32, shape: ["batch"] },
        { name: "s/h", elemType: F, shape: ["batch", 4] },
      ],
    );
    const r = await cli("triton-config", file, "--max-batch", "8");
    expect([r.code, r.err]).toEqual([0, ""]);
    const config = parsePbtxt(readFileSync(join(dir, "bf", "config.pbtxt"), "utf8"));
    expect(one(config, "max_batch_size")).toBe(8);
    expect(messages(config, "input").map((i) => [one(i, "name"), i.dims, i.reshape])).toEqual([
      ["x", [-1, 3], undefined],
      ["n", [1], [{ shape: [] }]],
    ]);
    const state = messages(one(config, "sequence_batching") as PbMessage, "state")[0]!;
    expect([one(state, "input_name"), one(state, "output_name"), state.dims]).toEqual(["s/h_0", "s/h", [4]]);
  });

  test("a state input with an initializer (a 0.1 optional-state file) is refused", async () => {
    const file = join(dir, "legacy.onnx");
    const F = DataType.FLOAT;
    identityModel(
      file,
      [{ name: "l/h_0", elemType: F, shape: [1, "batch", 4] }],
      [{ name: "l/h", elemType: F, shape: [1, "batch", 4] }],
      "l/h_0",
    );
    const r = await cli("triton-config", file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/state input "l\/h_0" has an initializer .* re-export it/);
  });

  test("a file that is not ONNX is reported with its path", async () => {
    const file = join(dir, "notes.onnx");
    writeFileSync(file, "hello");
    const r = await cli("triton-config", file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/notes\.onnx: not an ONNX model/);
  });
});
