/** Small formatting helpers for error messages about feeds. */

/** The multi-index of flat `index` in a row-major `shape`. */
export function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    out[i] = d === 0 ? 0 : rest % d;
    rest = d === 0 ? 0 : Math.floor(rest / d);
  }
  return out;
}

/** What a feed value is, for "found …" in messages. */
export function describeFeed(v: unknown): string {
  if (v instanceof Int32Array) return `an Int32Array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "object" && v !== null && "data" in v) {
    const data = (v as { data: unknown }).data;
    return `a tensor with ${ArrayBuffer.isView(data) ? data.constructor.name : typeof data} data`;
  }
  return typeof v;
}

/** `"a", "b"` or `none`. */
export function listOrNone(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.map((n) => `"${n}"`).join(", ");
}
