/**
 * Markdown tables laid out the way the repository's formatter (biome) writes them, so that results.md passes
 * `biome ci` as appended: every column padded to its widest cell (at least 3), right-aligned columns padded on
 * the left with a `--:` rule.
 */

/** Alignment of one column. */
export type Align = "left" | "right";

/** Width in characters (code points; the table only holds narrow characters such as µ, ×, –). */
function width(s: string): number {
  return [...s].length;
}

/**
 * A table with a header row and `rows`; every row must have as many cells as `header`.
 * @throws RangeError when a row has a different number of cells, or `align` does not match the header.
 */
export function markdownTable(header: readonly string[], align: readonly Align[], rows: readonly string[][]): string {
  if (align.length !== header.length) {
    throw new RangeError(`markdownTable: ${align.length} alignments for ${header.length} columns`);
  }
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`markdownTable: row ${i} has ${row.length} cells, expected ${header.length}`);
    }
  });
  const widths = header.map((h, c) => Math.max(3, width(h), ...rows.map((r) => width(r[c]!))));
  const pad = (s: string, c: number) => {
    const fill = " ".repeat(widths[c]! - width(s));
    return align[c] === "right" ? fill + s : s + fill;
  };
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = widths.map((w, c) => (align[c] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w)));
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}
