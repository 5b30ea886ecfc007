/**
 * Runs in the page (see server.ts): the conformance forward suite and one training run on the tfjs backend named
 * by `?backend=` (default webgl; `webgpu` when the browser gives an adapter, else the report only says why), then
 * publishes a report on `window.__report` for browser.test.ts.
 * The conformance modules are imported by path: the package index also pulls in its Node-only fixture reader and
 * vitest, so fixtures are fetched over HTTP here instead.
 */
import { assertValid, dense, initWeights, input, lstm, sequential, type TrainBatch } from "@recurrent/core";
import { allCases } from "../../../conformance/src/cases/index.js";
import { checkForward } from "../../../conformance/src/checks.js";
import type { Fixture } from "../../../conformance/src/fixture.js";
import { tfjsBackend } from "../../src/index.js";

/** What the page reports. */
export interface BrowserReport {
  readonly backend: string;
  readonly initError?: string;
  readonly webgpu: string;
  readonly cases: { readonly name: string; readonly error?: string }[];
  readonly training?: { readonly losses: number[]; readonly cpuLosses: number[] };
  /** tfjs flags that say what the backend runs on (WebGL version, float32 render targets). */
  readonly flags?: Readonly<Record<string, unknown>>;
  /** Milliseconds spent in init, the forward suite and the training runs. */
  readonly timings?: Readonly<Record<string, number>>;
  readonly fatal?: string;
}

interface AdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly description?: string;
}

/** "adapter available: <vendor architecture description>", or why there is none. */
async function webgpuStatus(): Promise<string> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo } | null> } }).gpu;
  if (gpu === undefined) return "navigator.gpu is undefined";
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return "navigator.gpu exists but requestAdapter() returned null";
    const info = adapter.info ?? {};
    return `adapter available: ${[info.vendor, info.architecture, info.description].filter((s) => s).join(" ") || "no info"}`;
  } catch (e) {
    return `requestAdapter() threw: ${(e as Error).message}`;
  }
}

/** One small training run; the same batch, weights and config on cpu give the reference losses. */
async function train(backend: string): Promise<number[]> {
  const model = assertValid(sequential("b", [input("x", 3), lstm("l", { units: 8 }), dense("out", { units: 2 })]));
  const T = 6;
  const B = 4;
  const x = Float32Array.from({ length: T * B * 3 }, (_, i) => Math.sin(i * 0.7));
  const target = Float32Array.from({ length: T * B * 2 }, (_, i) => Math.cos(i * 0.3) * 0.5);
  const batch: TrainBatch = {
    inputs: { x: { shape: [T, B, 3], data: x }, lengths: Int32Array.of(6, 5, 3, 1) },
    target: { shape: [T, B, 2], data: target },
  };
  const trainer = await tfjsBackend({ backend }).trainer(model, initWeights(model, { seed: 1 }), {
    loss: "mse",
    optimizer: { kind: "adam", lr: 5e-2 },
    clipNorm: 1,
  });
  const losses: number[] = [];
  for (let i = 0; i < 15; i++) losses.push((await trainer.step(batch)).loss);
  await trainer.dispose();
  return losses;
}

async function run(): Promise<BrowserReport> {
  const params = new URLSearchParams(location.search);
  const name = params.get("backend") ?? "webgl";
  const tolerance = { atol: Number(params.get("atol") ?? 1e-5), rtol: Number(params.get("rtol") ?? 1e-4) };
  const webgpu = await webgpuStatus();
  if (name === "webgpu" && !webgpu.startsWith("adapter available")) return { backend: name, webgpu, cases: [] };
  const tf = await import("@tensorflow/tfjs");
  // Registers "webgpu" with the engine of the tfjs above (see the import map in server.ts).
  if (name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
  // tfjs flags to turn on, e.g. `?flag=WEBGL_USE_SHAPES_UNIFORMS`.
  for (const flag of params.getAll("flag")) tf.env().set(flag, true);
  const backend = tfjsBackend({ backend: name });
  let t0 = performance.now();
  const timings: Record<string, number> = {};
  try {
    await backend.init!();
  } catch (e) {
    return { backend: name, initError: (e as Error).message, webgpu, cases: [] };
  }
  timings.init = performance.now() - t0;
  t0 = performance.now();
  const cases: BrowserReport["cases"] = [];
  const progress = window as unknown as { __progress?: string };
  for (const c of allCases) {
    progress.__progress = `${cases.length}/${allCases.length} ${c.name} at ${Math.round(performance.now() - t0)} ms`;
    const fixture = (await (await fetch(`/packages/conformance/fixtures/${c.name}.json`)).json()) as Fixture;
    try {
      await checkForward(backend, fixture, tolerance);
      cases.push({ name: c.name });
    } catch (e) {
      cases.push({ name: c.name, error: (e as Error).message });
    }
  }
  timings.forward = performance.now() - t0;
  t0 = performance.now();
  const losses = await train(name);
  timings.training = performance.now() - t0;
  const cpuLosses = await train("cpu");
  const flags = Object.fromEntries(
    ["WEBGL_VERSION", "WEBGL_RENDER_FLOAT32_CAPABLE", "WEBGL_RENDER_FLOAT32_ENABLED"].map((f) => [f, tf.env().get(f)]),
  );
  return { backend: name, webgpu, cases, training: { losses, cpuLosses }, flags, timings };
}

const target = window as unknown as { __report?: BrowserReport };
run().then(
  (report) => {
    target.__report = report;
  },
  (e: unknown) => {
    target.__report = { backend: "?", webgpu: "?", cases: [], fatal: (e as Error).stack ?? String(e) };
  },
);
