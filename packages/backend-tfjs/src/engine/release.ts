/**
 * Early release of graph values during an inference run (issue #13): a value is disposed once the last node that
 * reads it has run, unless the caller fetches it. A tensor may stand for several values (a kernel may return its
 * input, such as dropout at inference or `input`), so it is disposed only when no value still held names it, and
 * never when it is a feed (the caller owns those).
 */
import { type LayerNode, outputsOf, type ValidModel } from "@recurrent/core";
import type { TfTensor } from "../tf.js";
import type { FeedTensors } from "./forward.js";

/** Per model (made once: a streamed model runs once per frame), the index of the last node reading each value. */
const lastReads = new WeakMap<ValidModel, ReadonlyMap<string, number>>();

function lastReadOf(model: ValidModel): ReadonlyMap<string, number> {
  let map = lastReads.get(model);
  if (map === undefined) {
    const m = new Map<string, number>();
    model.nodes.forEach((node, i) => {
      for (const name of node.inputs) if (name !== "") m.set(name, i);
    });
    map = m;
    lastReads.set(model, map);
  }
  return map;
}

/** Releases the values of one run (see the module comment). */
export class Release {
  /** Index of the last node reading each value; a value no node reads is released right after it is made. */
  readonly #lastRead: ReadonlyMap<string, number>;
  readonly #keep: ReadonlySet<string>;
  readonly #feeds: Set<TfTensor>;

  constructor(model: ValidModel, feeds: FeedTensors, keep: ReadonlySet<string>) {
    this.#lastRead = lastReadOf(model);
    this.#keep = keep;
    this.#feeds = new Set([...feeds.inputs.values(), ...feeds.states.values()]);
  }

  /** Called after node `index` has put its outputs into `values`: drops (and disposes) what is no longer needed. */
  after(index: number, node: LayerNode, values: Map<string, TfTensor>): void {
    const done: string[] = [];
    for (const name of node.inputs) if (name !== "" && this.#lastRead.get(name) === index) done.push(name);
    for (const name of outputsOf(node)) if (!this.#lastRead.has(name)) done.push(name);
    const dropped: TfTensor[] = [];
    for (const name of done) {
      if (this.#keep.has(name)) continue;
      const t = values.get(name);
      if (t === undefined) continue;
      values.delete(name);
      dropped.push(t);
    }
    if (dropped.length === 0) return;
    const held = new Set(values.values());
    for (const t of dropped) if (!held.has(t) && !this.#feeds.has(t)) t.dispose();
  }
}
