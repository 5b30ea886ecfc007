/** Frame accuracy and confusion of a classifier on the user's recordings (labels by the model's own label list). */
import type { Backend, ValidModel, Weights } from "@recurrent/core";
import type { Cmvn } from "@recurrent/speech";
import { NUM_FEATURES } from "../data.js";
import { frameClasses, type Recording } from "../folder/folder.js";
import type { LabelledUtterance } from "../folder/sources.js";
import { type CmvnMode, normalizeFrames } from "../model-file.js";
import { argmax, runUtterances } from "./infer.js";

/** What {@link evaluateRecordings} needs of a model. */
export interface ClassifierParts {
  readonly model: ValidModel;
  readonly weights: Weights;
  readonly cmvn: Cmvn;
  readonly cmvnMode: CmvnMode;
  readonly labels: readonly string[];
}

/** Accuracy, frames and the `[C · C]` confusion (row = true label, column = predicted). */
export interface FolderEvaluation {
  readonly accuracy: number;
  readonly frames: number;
  readonly confusion: Int32Array;
}

/**
 * Runs the classifier over whole recordings and counts frames whose arg-max equals the frame's label.
 * @throws CliError `BAD_OPTION` for a label the model does not know (see `frameClasses`); backend errors.
 */
export async function evaluateRecordings(
  backend: Pick<Backend, "compile">,
  m: ClassifierParts,
  recordings: readonly Recording[],
  gapLabel: string,
): Promise<FolderEvaluation> {
  return scoreUtterances(
    backend,
    m,
    recordings.map((r) => ({ id: r.id, frames: r.frames, y: frameClasses(r, m.labels, gapLabel) })),
  );
}

/** Frame accuracy and confusion on utterances whose frame labels are known. @throws backend errors. */
export async function scoreUtterances(
  backend: Pick<Backend, "compile">,
  m: ClassifierParts,
  utterances: readonly LabelledUtterance[],
): Promise<FolderEvaluation> {
  const truth = utterances.map((u) => u.y);
  const exe = await backend.compile(m.model, m.weights);
  let logits: Float32Array[];
  try {
    logits = await runUtterances(
      exe,
      utterances.map((u) => normalizeFrames(m, u.frames).data),
      NUM_FEATURES,
    );
  } finally {
    await exe.dispose();
  }
  const C = m.labels.length;
  const confusion = new Int32Array(C * C);
  let correct = 0;
  let frames = 0;
  logits.forEach((out, u) => {
    const y = truth[u]!;
    for (let t = 0; t < y.length; t++) {
      const p = argmax(out, t * C, C);
      confusion[y[t]! * C + p]!++;
      if (p === y[t]) correct++;
      frames++;
    }
  });
  return { accuracy: frames === 0 ? 0 : correct / frames, frames, confusion };
}
