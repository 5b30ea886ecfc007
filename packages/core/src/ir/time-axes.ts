/**
 * Time axes of sequence inputs: a time symbol names one axis and one lengths feed masks it, so inputs that share
 * a symbol must share the feed and inputs that share a feed must share the time dim.
 */
import type { Issue } from "./errors.js";
import { show } from "./excerpt.js";
import type { ValueInfo } from "./infer.js";
import type { Dim, LayerNode } from "./nodes.js";

/** Checks the time symbols and lengths feeds of the (inferred) sequence inputs against each other. */
export function checkInputAxes(
  order: readonly LayerNode[],
  values: ReadonlyMap<string, ValueInfo>,
  defined: readonly string[],
): Issue[] {
  const issues: Issue[] = [];
  const lengthsOfSymbol = new Map<string, { input: string; lengths: string | undefined }>();
  const timeOfLengths = new Map<string, { input: string; time: Dim }>();
  const valueNames = new Set(defined);
  for (const node of order) {
    const value = values.get(node.id);
    if (node.op !== "input" || value?.kind !== "sequence") continue;
    const time = value.shape[0] as Dim;
    const lengths = value.lengths;
    const at = { nodeId: node.id, op: node.op };
    if (typeof time === "string") {
      const seen = lengthsOfSymbol.get(time);
      if (seen === undefined) lengthsOfSymbol.set(time, { input: node.id, lengths });
      else if (seen.lengths !== lengths) {
        issues.push({
          ...at,
          code: "TIME_MISMATCH",
          message: `time symbol ${show(time)} is masked by lengths ${show(lengths)} here but by ${show(seen.lengths)} on input ${show(seen.input)}`,
          expected: `lengths ${show(seen.lengths)}`,
          found: `lengths ${show(lengths)}`,
          hint: "inputs of different lengths need different time symbols (input(id, D, { time, lengths }))",
        });
      }
    }
    if (lengths === undefined) continue;
    if (valueNames.has(lengths)) {
      issues.push({
        ...at,
        code: "BAD_OPTION",
        message: `lengths feed ${show(lengths)} has the name of a value of the graph, so the feeds would clash`,
        hint: "give the lengths feed its own name",
      });
    }
    const seen = timeOfLengths.get(lengths);
    if (seen === undefined) timeOfLengths.set(lengths, { input: node.id, time });
    else if (seen.time !== time) {
      issues.push({
        ...at,
        code: "TIME_MISMATCH",
        message: `lengths feed ${show(lengths)} masks time ${show(time)} here but time ${show(seen.time)} on input ${show(seen.input)}`,
        expected: `time ${show(seen.time)}`,
        found: `time ${show(time)}`,
        hint: "inputs sharing a lengths feed share one time axis: give them the same time symbol",
      });
    }
  }
  return issues;
}
