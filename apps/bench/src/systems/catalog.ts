/**
 * The systems the bench measures: Recurrent's backends and the peers, with the workloads each can run. Pure
 * data (no runtime is imported here): the child process loads a system's code by id.
 */
import type { WorkloadId } from "../workloads.js";

/** A system id, as given to `--systems`. */
export type SystemId =
  | "js"
  | "js-2t"
  | "tfjs-cpu"
  | "tfjs-wasm"
  | "onnx"
  | "tfjs-layers-cpu"
  | "tfjs-layers-wasm"
  | "ort"
  | "brain"
  | "torch-1"
  | "torch-2"
  | "js-chromium";

/** What the table and the README say about a system. */
export interface SystemInfo {
  readonly id: SystemId;
  /** Row label in the table. */
  readonly label: string;
  /** `recurrent`: one of this repository's backends; `peer`: another library driven directly. */
  readonly kind: "recurrent" | "peer";
  /** The workloads it runs; the others are not applicable (see `notApplicable`). */
  readonly workloads: readonly WorkloadId[];
  /** Why a workload outside `workloads` is not run, shown in the table. */
  readonly notApplicable: Readonly<Partial<Record<WorkloadId, string>>>;
  /** Part of the default system set of `--quick`. */
  readonly quick: boolean;
  /** PyTorch runs in a Python child (python/torch_bench.py) with this many threads; Node children otherwise. */
  readonly torchThreads?: 1 | 2;
}

const ALL: readonly WorkloadId[] = ["W1", "W2", "W3", "W4", "W5", "W6", "W7"];
const REFERENCE: readonly WorkloadId[] = ["W1", "W2", "W3", "W4", "W5"];
const INFERENCE_ONLY = {
  W1: "inference only",
  W2: "inference only",
  W5: "inference only",
  W6: "inference only",
  W7: "inference only",
} as const;
/** W6 and W7 were added to compare with PyTorch (issue #14); the slow peers are not given them. */
const NOT_BUILT = "not built for this peer; W6, W7 compare backend-js with PyTorch";
const TORCH_ONLY = { W6: NOT_BUILT, W7: NOT_BUILT } as const;
const BROWSER = "the browser harness times W1 and W4 (issue #14)";
/** backend-js's threads split training batches only; inference runs as in the one-thread row. */
const TRAIN_ONLY = "threads split training batches; inference is the backend-js row";

/**
 * Every system, in the order they run and appear in the table: backend-js and the peers its targets compare
 * with first, so that drift in the machine's load between them stays small.
 */
export const SYSTEMS: readonly SystemInfo[] = [
  { id: "js", label: "backend-js", kind: "recurrent", workloads: ALL, notApplicable: {}, quick: true },
  {
    id: "js-2t",
    label: "backend-js 2 threads",
    kind: "recurrent",
    workloads: ["W1", "W2", "W5", "W6", "W7"],
    notApplicable: { W3: TRAIN_ONLY, W4: TRAIN_ONLY },
    quick: true,
  },
  {
    id: "torch-1",
    label: "PyTorch 1 thread",
    kind: "peer",
    workloads: ALL,
    notApplicable: {},
    quick: true,
    torchThreads: 1,
  },
  {
    id: "torch-2",
    label: "PyTorch 2 threads",
    kind: "peer",
    workloads: ALL,
    notApplicable: {},
    quick: true,
    torchThreads: 2,
  },
  {
    id: "tfjs-layers-cpu",
    label: "tf.layers cpu",
    kind: "peer",
    workloads: REFERENCE,
    notApplicable: TORCH_ONLY,
    quick: true,
  },
  {
    id: "tfjs-layers-wasm",
    label: "tf.layers wasm",
    kind: "peer",
    workloads: REFERENCE,
    notApplicable: TORCH_ONLY,
    quick: true,
  },
  {
    id: "ort",
    label: "onnxruntime-node session",
    kind: "peer",
    workloads: ["W3", "W4"],
    notApplicable: INFERENCE_ONLY,
    quick: true,
  },
  {
    id: "onnx",
    label: "onnxBackend",
    kind: "recurrent",
    workloads: ["W3", "W4"],
    notApplicable: INFERENCE_ONLY,
    quick: false,
  },
  { id: "tfjs-cpu", label: "backend-tfjs cpu", kind: "recurrent", workloads: ALL, notApplicable: {}, quick: false },
  { id: "tfjs-wasm", label: "backend-tfjs wasm", kind: "recurrent", workloads: ALL, notApplicable: {}, quick: false },
  {
    id: "brain",
    label: "brain.js",
    kind: "peer",
    workloads: ["W1", "W2", "W3"],
    notApplicable: {
      W4: "no API carries state between calls; run() replays the whole sequence",
      W5: "no bidirectional layer",
      ...TORCH_ONLY,
    },
    quick: false,
  },
  {
    id: "js-chromium",
    label: "backend-js in Chromium",
    kind: "recurrent",
    workloads: ["W1", "W4"],
    notApplicable: {
      W2: BROWSER,
      W3: BROWSER,
      W5: BROWSER,
      W6: BROWSER,
      W7: BROWSER,
    },
    quick: false,
  },
];

/** The system every ratio is taken against. */
export const BASELINE: SystemId = "tfjs-layers-cpu";

/** The ids, for argument checking. */
export const SYSTEM_IDS: readonly SystemId[] = SYSTEMS.map((s) => s.id);

/** The catalogue entry of `id`. */
export function systemInfo(id: SystemId): SystemInfo {
  const info = SYSTEMS.find((s) => s.id === id);
  if (info === undefined) throw new Error(`internal: no system "${id}" in the catalogue`);
  return info;
}
