/**
 * Validation issues and the one error that lists them. `validate()` returns `Issue[]`; `assertValid()` throws an
 * `IrError` whose message lists them (the first
 * `MAX_LISTED_ISSUES`) and ends with an excerpt of the graph around the first failing node.
 */

/** What went wrong, stable across versions; tests and tools match on it. */
export type IssueCode =
  /** The graph (or a node, or the weights argument) is not the expected structure: not an object, wrong field type. */
  | "BAD_GRAPH"
  /** `format` is missing or not this library's `GRAPH_FORMAT`. */
  | "BAD_FORMAT"
  /** A node's `op` is not one of `OPS`. */
  | "UNKNOWN_OP"
  /** Two nodes produce a value of one name (a node id, or an `rnn`'s `<id>/h`, `<id>/c`). */
  | "DUPLICATE_ID"
  /** A node reads a value that no node produces. */
  | "UNKNOWN_INPUT"
  /** Nodes read each other's outputs in a loop. */
  | "CYCLE"
  /** A node has the wrong number of inputs, or an empty name where an input is required. */
  | "ARITY"
  /** An input has the wrong kind or rank (a vector where a sequence is needed, a state where a frame is needed). */
  | "RANK"
  /** Feature (last) dims disagree: a state's units, an `add` of different widths. */
  | "FEATURE_MISMATCH"
  /** Sequences on different time axes (time symbols, fixed lengths or lengths feeds) meet. */
  | "TIME_MISMATCH"
  /** An input's batch dim is not the shared symbol `"batch"`. */
  | "BATCH_MISMATCH"
  /** Other dims disagree, e.g. a state with the wrong number of directions. */
  | "SHAPE_MISMATCH"
  /** A node lacks an option its op requires. */
  | "MISSING_OPTION"
  /** A node has a key its op does not know. */
  | "UNKNOWN_OPTION"
  /** An option has a value out of range or of the wrong type, or one that does not apply to this node. */
  | "BAD_OPTION"
  /** A graph output names a value that no node produces. */
  | "UNKNOWN_OUTPUT"
  /** The graph returns nothing. */
  | "NO_OUTPUTS"
  /** A parameter the graph needs is absent from the weights. */
  | "WEIGHT_MISSING"
  /** A weight is not a tensor of the shape its node needs. */
  | "WEIGHT_SHAPE"
  /** The weights hold a key that no node's parameters account for. */
  | "WEIGHT_UNEXPECTED"
  /** A weight holds NaN or ±Infinity. */
  | "WEIGHT_NOT_FINITE"
  /** A parameter would have more elements than `LIMITS.maxParamElements`. */
  | "TOO_LARGE";

/** One problem with a graph: where it is, what was expected, what was found, and how to fix it. */
export interface Issue {
  readonly code: IssueCode;
  /** The node the issue is about, when there is one. */
  readonly nodeId?: string;
  /** That node's op (as written, which may be an unknown op). */
  readonly op?: string;
  /** A full sentence naming the offending value or option, with expected and found values. */
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
  /** How to fix it. */
  readonly hint?: string;
}

/** The code of every `IrError`. */
export type IrErrorCode = "INVALID_GRAPH";

/** Options of an {@link IrError}. */
export interface IrErrorOptions {
  /** The graph's name, for the first line of the message. */
  readonly graphName?: string;
  /** A rendering of the graph around the first failing node, appended to the message. */
  readonly excerpt?: string;
}

/**
 * A graph (or its JSON, or its weights) is invalid. The message lists the first {@link MAX_LISTED_ISSUES} issues,
 * one per line, e.g.
 * `  - WEIGHT_SHAPE at node "lstm_1" (rnn): weight "weight_ih" is [512, 39], expected [512, 40] = [4·units, inFeatures]`,
 * followed by an excerpt of the graph; `issues` holds them as data.
 */
export class IrError extends Error {
  override readonly name = "IrError";
  readonly code: IrErrorCode = "INVALID_GRAPH";
  readonly issues: readonly Issue[];
  readonly graphName: string | undefined;

  constructor(issues: readonly Issue[], options: IrErrorOptions = {}) {
    super(formatIssues(issues, options));
    this.issues = issues;
    this.graphName = options.graphName;
  }
}

/** Formats one issue as a list line: `CODE at node "id" (op): message`, plus an indented hint line. */
export function formatIssue(issue: Issue): string {
  const where = issue.nodeId === undefined ? "" : ` at node ${JSON.stringify(issue.nodeId)}`;
  const op = issue.op === undefined ? "" : ` (${issue.op})`;
  const hint = issue.hint === undefined ? "" : `\n      hint: ${issue.hint}`;
  return `${issue.code}${where}${op}: ${issue.message}${hint}`;
}

/**
 * How many issues an {@link IrError} message lists; the rest are counted. A hostile file with 10^5 stray tensors
 * would otherwise give a message of megabytes. Every issue stays available as data in `IrError.issues`.
 */
export const MAX_LISTED_ISSUES = 20;

function formatIssues(issues: readonly Issue[], options: IrErrorOptions): string {
  const name = options.graphName === undefined ? "Graph" : `Graph ${JSON.stringify(options.graphName)}`;
  const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
  const lines = [`${name} is invalid (${count}):`];
  for (const issue of issues.slice(0, MAX_LISTED_ISSUES)) lines.push(`  - ${formatIssue(issue)}`);
  const more = issues.length - MAX_LISTED_ISSUES;
  if (more > 0) lines.push(`  … and ${more} more issue${more === 1 ? "" : "s"} (all of them are in error.issues)`);
  if (options.excerpt !== undefined && options.excerpt !== "") lines.push("", options.excerpt);
  return lines.join("\n");
}
