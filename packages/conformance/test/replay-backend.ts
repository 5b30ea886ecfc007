/**
 * A fake backend for the suite's own tests: it answers with a fixture's expected numbers (found by the model's
 * name, which is the case name), optionally shifted, and writes garbage into padded steps so that the runner's
 * masking is exercised. It also checks that the runner fed it the fixture's weights and feeds.
 */
import type { Backend, Feeds, LayerNode, Op, Tensor, Weights } from "@recurrent/core";
import { type Fixture, type FixtureTensor, type FixtureValue, loadFixture } from "../src/fixture.js";

export interface ReplayOptions {
  readonly name: string;
  /** Added to every value handed back (0: an exact replay). */
  readonly shift?: number;
  /** Ops this backend claims not to support. */
  readonly unsupported?: readonly Op[];
  readonly withGradients?: boolean;
}

const GARBAGE = 1e3;

function replay(fixture: Fixture, value: FixtureTensor | FixtureValue, shift: number): Tensor {
  const data = Float32Array.from(value.data, (v) => v + shift);
  const lengthsName = "lengths" in value ? value.lengths : null;
  if (lengthsName !== null) {
    const lengths = fixture.feeds.lengths[lengthsName]!;
    const [T = 0, B = 0] = value.shape;
    const frame = data.length / (T * B);
    for (let i = 0; i < data.length; i++) {
      const t = Math.floor(i / (B * frame));
      const b = Math.floor(i / frame) % B;
      if (t >= lengths[b]!) data[i] = GARBAGE;
    }
  }
  return { shape: [...value.shape], data };
}

function assertSameTensor(what: string, actual: unknown, expected: FixtureTensor): void {
  const t = actual as Tensor | undefined;
  if (!t || t.data.length !== expected.data.length || t.data.some((v, i) => v !== Math.fround(expected.data[i]!))) {
    throw new Error(`replay backend: ${what} differs from the fixture`);
  }
}

function assertFeeds(fixture: Fixture, feeds: Feeds, weights: Weights): void {
  for (const [k, t] of Object.entries(fixture.weights)) assertSameTensor(`weight ${k}`, weights[k], t);
  for (const [k, t] of Object.entries({ ...fixture.feeds.inputs, ...fixture.feeds.states })) {
    assertSameTensor(`feed ${k}`, feeds[k], t);
  }
  for (const [k, lengths] of Object.entries(fixture.feeds.lengths)) {
    const fed = feeds[k];
    if (!(fed instanceof Int32Array) || fed.join() !== lengths.join()) throw new Error(`replay backend: lengths ${k}`);
  }
}

/** A backend that replays fixtures; see {@link ReplayOptions}. */
export function replayBackend(options: ReplayOptions): Backend {
  const shift = options.shift ?? 0;
  const unsupported = new Set<Op>(options.unsupported ?? []);
  const backend: Backend = {
    name: options.name,
    supports: (node: LayerNode) => (unsupported.has(node.op) ? `${node.op} is not implemented by this fake` : true),
    compile: async (model, weights) => {
      const fixture = loadFixture(model.name);
      return {
        model,
        run: async (feeds, runOptions) => {
          assertFeeds(fixture, feeds, weights);
          const names = runOptions?.fetch ?? model.outputs;
          return Object.fromEntries(names.map((n) => [n, replay(fixture, fixture.expected.outputs[n]!, shift)]));
        },
        dispose: async () => {},
      };
    },
  };
  if (options.withGradients === false) return backend;
  return {
    ...backend,
    gradients: async (model, weights, batch, config) => {
      const fixture = loadFixture(model.name);
      assertFeeds(fixture, batch.inputs, weights);
      if (config.output !== fixture.loss.output) throw new Error("replay backend: wrong loss output");
      const g = fixture.expected.gradients;
      const map = (group: Readonly<Record<string, FixtureTensor | FixtureValue>>) =>
        Object.fromEntries(Object.entries(group).map(([k, t]) => [k, replay(fixture, t, shift)]));
      return { loss: fixture.expected.loss + shift, weights: map(g.weights), inputs: map(g.inputs) };
    },
  };
}
