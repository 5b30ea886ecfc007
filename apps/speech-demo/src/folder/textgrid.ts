/**
 * Praat TextGrid files (long "text" format and the short format), interval tiers only. No npm package for
 * TextGrid is in this workplace's registry list, and the format is a flat sequence of values once the names
 * are dropped, so this reads it with a small tokenizer: quoted strings (`""` is a quote), numbers, `<exists>`
 * flags; keys (`xmin =`), `[n]` indices and `!` comments are skipped. Both formats give the same token stream.
 */
import { CliError } from "../cli/errors.js";

/** One labelled stretch of time, in seconds (end exclusive). */
export interface TimedSegment {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** An interval tier: its name and its non-empty intervals (empty-text intervals are gaps). */
export interface IntervalTier {
  readonly name: string;
  readonly intervals: TimedSegment[];
}

type Token = string | number;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let s = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("a quoted string is not closed");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            s += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += text[i++];
      }
      tokens.push(s);
    } else if (c === "[") {
      while (i < text.length && text[i] !== "]") i++;
      i++;
    } else if (c === "!") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "<") {
      const end = text.indexOf(">", i);
      tokens.push(text.slice(i, end + 1));
      i = end < 0 ? text.length : end + 1;
    } else if (/[-+\d.]/.test(c) && !/[A-Za-z_]/.test(text[i - 1] ?? " ")) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
      if (m === null) {
        i++;
        continue;
      }
      tokens.push(Number(m[0]));
      i += m[0].length;
    } else {
      i++;
    }
  }
  return tokens;
}

/**
 * Parses a TextGrid's interval tiers (point tiers are skipped).
 * @param name the file, for messages.
 * @throws CliError `FILE` naming the file when it is not a TextGrid or is truncated.
 */
export function parseTextGrid(text: string, name: string): IntervalTier[] {
  let tokens: Token[];
  try {
    tokens = tokenize(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new CliError("FILE", `${name}: not a TextGrid: ${(err as Error).message}`);
  }
  let at = 0;
  const next = (what: string): Token => {
    if (at >= tokens.length) throw new CliError("FILE", `${name}: TextGrid ends early (expected ${what})`);
    return tokens[at++]!;
  };
  const num = (what: string): number => {
    const t = next(what);
    if (typeof t !== "number")
      throw new CliError("FILE", `${name}: TextGrid: expected ${what} (a number), found "${t}"`);
    return t;
  };
  const str = (what: string): string => {
    const t = next(what);
    if (typeof t !== "string") throw new CliError("FILE", `${name}: TextGrid: expected ${what} (text), found ${t}`);
    return t;
  };
  if (next("the file type") !== "ooTextFile" || next("the object class") !== "TextGrid") {
    throw new CliError(
      "FILE",
      `${name}: not a Praat TextGrid (it must start with File type = "ooTextFile", Object class = "TextGrid")`,
    );
  }
  num("xmin");
  num("xmax");
  if (tokens[at] === "<exists>") at++;
  else if (tokens[at] === "<absent>") return [];
  const tiers = num("the number of tiers");
  const out: IntervalTier[] = [];
  for (let k = 0; k < tiers; k++) {
    const kind = str("a tier class");
    const tierName = str("a tier name");
    num("tier xmin");
    num("tier xmax");
    const n = num("the number of intervals");
    const intervals: TimedSegment[] = [];
    for (let j = 0; j < n; j++) {
      if (kind === "IntervalTier") {
        const start = num("interval xmin");
        const end = num("interval xmax");
        const label = str("interval text").trim();
        if (label !== "") intervals.push({ start, end, label });
      } else {
        num("point time");
        str("point mark");
      }
    }
    if (kind === "IntervalTier") out.push({ name: tierName, intervals });
  }
  return out;
}

/**
 * The tier holding the labels: the one named `tier` when given, else the first interval tier whose name contains
 * "phon" (case-insensitive), else the first interval tier.
 * @throws CliError `FILE` when there is no interval tier or no tier of that name (listing the names).
 */
export function pickTier(tiers: readonly IntervalTier[], name: string, tier?: string): IntervalTier {
  const names = tiers.map((t) => `"${t.name}"`).join(", ") || "none";
  if (tier !== undefined) {
    const found = tiers.find((t) => t.name === tier);
    if (found === undefined)
      throw new CliError("FILE", `${name}: no interval tier "${tier}" (interval tiers: ${names})`);
    return found;
  }
  const picked = tiers.find((t) => /phon/i.test(t.name)) ?? tiers[0];
  if (picked === undefined) throw new CliError("FILE", `${name}: the TextGrid has no interval tier`);
  return picked;
}

/** Writes segments as a long-format TextGrid with one interval tier (gaps become empty intervals). */
export function writeTextGrid(segments: readonly TimedSegment[], duration: number, tierName = "phones"): string {
  const intervals: TimedSegment[] = [];
  let t = 0;
  for (const s of segments) {
    if (s.start > t + 1e-9) intervals.push({ start: t, end: s.start, label: "" });
    intervals.push(s);
    t = s.end;
  }
  if (duration > t + 1e-9) intervals.push({ start: t, end: duration, label: "" });
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const r = (x: number) => String(Math.round(x * 1e6) / 1e6);
  const lines = [
    'File type = "ooTextFile"',
    'Object class = "TextGrid"',
    "",
    "xmin = 0",
    `xmax = ${r(duration)}`,
    "tiers? <exists>",
    "size = 1",
    "item []:",
    "    item [1]:",
    '        class = "IntervalTier"',
    `        name = ${q(tierName)}`,
    "        xmin = 0",
    `        xmax = ${r(duration)}`,
    `        intervals: size = ${intervals.length}`,
  ];
  intervals.forEach((s, i) => {
    lines.push(
      `        intervals [${i + 1}]:`,
      `            xmin = ${r(s.start)}`,
      `            xmax = ${r(s.end)}`,
      `            text = ${q(s.label)}`,
    );
  });
  return `${lines.join("\n")}\n`;
}
