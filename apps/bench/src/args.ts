/**
 * The command line of `pnpm bench`: `--quick`, `--record`, `--no-record`, `--scaling`, `--no-scaling`,
 * `--only W1,W3`, `--systems js,tfjs-layers-cpu`, `--verbose`, `--help`.
 */
import { SYSTEM_IDS, SYSTEMS, type SystemId } from "./systems/catalog.js";
import { WORKLOAD_IDS, type WorkloadId } from "./workloads.js";

/** What a run does. */
export interface BenchOptions {
  /** Smaller T, fewer repetitions, the target systems only (unless `--systems`). */
  readonly quick: boolean;
  /** Append the run to results.md (default: full runs yes, quick runs no). */
  readonly record: boolean;
  /** The workloads to run, in table order. */
  readonly workloads: readonly WorkloadId[];
  /** The systems to run, in catalogue order. */
  readonly systems: readonly SystemId[];
  /** Run the scaling grid (scaling.ts) on backend-js and PyTorch (default: full runs yes, quick runs no). */
  readonly scaling: boolean;
  /** How many times the workload-by-workload pass repeats (rounds.ts); 1 by default. */
  readonly rounds: number;
  /** A line recorded with the run in results.md (e.g. what else was running on the machine). */
  readonly note?: string;
  /** Pass the children's own output through. */
  readonly verbose: boolean;
  readonly help: boolean;
}

/** Codes of {@link BenchArgsError}. */
export type BenchArgsErrorCode = "UNKNOWN_FLAG" | "MISSING_VALUE" | "BAD_VALUE";

/** A command-line mistake; the message names the flag, what it got and what it accepts. */
export class BenchArgsError extends Error {
  override readonly name = "BenchArgsError";
  constructor(
    readonly code: BenchArgsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const QUICK_SYSTEMS = SYSTEMS.filter((s) => s.quick)
  .map((s) => s.id)
  .join(", ");

/** The usage text printed by `--help` and after an argument error. */
export const USAGE = [
  "usage: pnpm bench [--quick] [--record | --no-record] [--scaling | --no-scaling] [--only W1,W3]",
  "                  [--systems js,tfjs-layers-cpu] [--rounds 3] [--note 'text'] [--verbose]",
  "  --quick      T=20 and 200 streamed frames for every system, 1-2 warm-ups and 3-5 repetitions;",
  `               systems ${QUICK_SYSTEMS} unless --systems; not appended to results.md unless --record`,
  "  --record     append a quick run to results.md",
  "  --no-record  do not append a full run to results.md",
  "  --scaling    also run the scaling grid (W1 at H 64-512, T 50-400, B 1-64) in a quick run",
  "  --no-scaling skip the scaling grid of a full run",
  `  --only       workloads among ${WORKLOAD_IDS.join(", ")}`,
  `  --systems    systems among ${SYSTEM_IDS.join(", ")}`,
  "  --rounds     repeat every (system, workload) child N times (1-20), interleaved, and pool the samples",
  "  --note       a line recorded with the run in results.md (what else shared the machine)",
  "  --verbose    show the child processes' own output",
].join("\n");

/** Splits `a,b` and checks each item against `allowed`, returning them in `allowed`'s order. */
function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new BenchArgsError("BAD_VALUE", `${flag}: expected a comma-separated list, got ""`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new BenchArgsError("BAD_VALUE", `${flag}: unknown "${item}"; expected some of ${allowed.join(", ")}`);
    }
  }
  return allowed.filter((a) => items.includes(a));
}

/**
 * Parses the arguments after the script name.
 * @throws BenchArgsError `UNKNOWN_FLAG` for an unrecognized argument, `MISSING_VALUE` when `--only` / `--systems`
 *   / `--note` / `--rounds` has no value, `BAD_VALUE` for an unknown workload or system id, an empty list, or a
 *   `--rounds` that is not a whole number from 1 to 20.
 */
export function parseArgs(argv: readonly string[]): BenchOptions {
  let quick = false;
  let record: boolean | undefined;
  let workloads: WorkloadId[] | undefined;
  let systems: SystemId[] | undefined;
  let scaling: boolean | undefined;
  let note: string | undefined;
  let rounds = 1;
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (eq > 0 && flag !== arg) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        throw new BenchArgsError(
          "MISSING_VALUE",
          `${flag} needs a value, e.g. ${flag} ${flag === "--only" ? "W1,W3" : flag === "--note" ? "'shared machine'" : flag === "--rounds" ? "3" : "js,ort"}`,
        );
      }
      i++;
      return next;
    };
    switch (flag) {
      case "--quick":
        quick = true;
        break;
      case "--record":
        record = true;
        break;
      case "--no-record":
        record = false;
        break;
      case "--only":
        workloads = list("--only", takeValue(), WORKLOAD_IDS);
        break;
      case "--systems":
        systems = list("--systems", takeValue(), SYSTEM_IDS);
        break;
      case "--rounds": {
        const value = takeValue();
        rounds = Number(value);
        if (!/^\d+$/.test(value) || rounds < 1 || rounds > 20) {
          throw new BenchArgsError("BAD_VALUE", `--rounds: expected a whole number from 1 to 20, got "${value}"`);
        }
        break;
      }
      case "--note":
        note = takeValue();
        break;
      case "--scaling":
        scaling = true;
        break;
      case "--no-scaling":
        scaling = false;
        break;
      case "--verbose":
        verbose = true;
        break;
      case "--":
        // pnpm forwards a literal "--" separator to the script on some versions.
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new BenchArgsError("UNKNOWN_FLAG", `unknown argument "${arg}"; run with --help for the flags`);
    }
  }
  return {
    quick,
    record: record ?? !quick,
    workloads: workloads ?? WORKLOAD_IDS,
    systems: systems ?? SYSTEMS.filter((s) => !quick || s.quick).map((s) => s.id),
    scaling: scaling ?? !quick,
    rounds,
    ...(note === undefined ? {} : { note }),
    verbose,
    help,
  };
}

/** `argv` as results.md's Command line shows it: a `--note` value is elided (the note has its own line). */
export function recordedCommand(argv: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--note=")) out.push("--note=…");
    else if (arg === "--note" && i + 1 < argv.length) {
      out.push("--note …");
      i++;
    } else out.push(arg);
  }
  return ["pnpm bench", ...out].join(" ");
}
