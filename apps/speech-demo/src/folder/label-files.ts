/**
 * Label files beside the WAVs, all turned into segments in seconds: TIMIT `.phn` (`start end label`, sample
 * indices at the WAV's own rate), Praat `.TextGrid` (an interval tier) and `.csv` (`start,end,label` in seconds,
 * an optional header line, `#` comments, no quoting).
 */
import { readFile } from "node:fs/promises";
import { parsePhn } from "@recurrent/speech";
import { CliError, describeError } from "../cli/errors.js";
import { parseTextGrid, pickTier, type TimedSegment } from "./textgrid.js";

/** The label-file extensions, in the order they are looked for beside a WAV. */
export const LABEL_EXTENSIONS = [".phn", ".TextGrid", ".csv"] as const;

/**
 * Parses CSV labels.
 * @throws CliError `FILE` naming the file and line: wrong field count, a time that is not a number, start ≥ end,
 *   or segments out of order / overlapping.
 */
export function parseCsvLabels(text: string, name: string): TimedSegment[] {
  const out: TimedSegment[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(",").map((f) => f.trim());
    const at = `${name}:${i + 1}`;
    if (fields.length !== 3)
      throw new CliError("FILE", `${at}: expected "start,end,label", found ${fields.length} fields in "${line}"`);
    const [a, b, label] = fields as [string, string, string];
    const start = Number(a);
    const end = Number(b);
    if (a === "" || b === "" || !Number.isFinite(start) || !Number.isFinite(end)) {
      if (out.length === 0 && i === firstContentLine(text)) return; // a header such as "start,end,label"
      throw new CliError("FILE", `${at}: start and end must be times in seconds, found "${a}" "${b}"`);
    }
    pushChecked(out, { start, end, label }, at);
  });
  return out;
}

function firstContentLine(text: string): number {
  return text.split(/\r?\n/).findIndex((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

function pushChecked(out: TimedSegment[], s: TimedSegment, at: string): void {
  if (s.label === "") throw new CliError("FILE", `${at}: the label is empty`);
  if (!(s.start >= 0 && s.start < s.end))
    throw new CliError("FILE", `${at}: start ${s.start} is not in [0, end = ${s.end})`);
  const prev = out.at(-1);
  if (prev !== undefined && s.start < prev.end - 1e-9) {
    throw new CliError("FILE", `${at}: segment starts at ${s.start} s, before the previous one ends (${prev.end} s)`);
  }
  out.push(s);
}

/**
 * Reads a label file (by extension) as segments in seconds.
 * @param sampleRate the WAV's rate, to turn `.phn` sample indices into seconds.
 * @param tier TextGrid tier name (default: see `pickTier`).
 * @throws CliError `FILE` naming the file for unreadable or malformed files.
 */
export async function readLabelFile(path: string, sampleRate: number, tier?: string): Promise<TimedSegment[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new CliError("FILE", `${path}: cannot read labels: ${describeError(err)}`);
  }
  const lower = path.toLowerCase();
  if (lower.endsWith(".phn")) {
    try {
      return parsePhn(text, path).map((s) => ({
        start: s.start / sampleRate,
        end: s.end / sampleRate,
        label: s.label,
      }));
    } catch (err) {
      throw new CliError("FILE", describeError(err).replace(/^PHN_PARSE: /, ""));
    }
  }
  if (lower.endsWith(".textgrid")) {
    const segments: TimedSegment[] = [];
    for (const s of pickTier(parseTextGrid(text, path), path, tier).intervals) pushChecked(segments, s, path);
    return segments;
  }
  return parseCsvLabels(text, path);
}
