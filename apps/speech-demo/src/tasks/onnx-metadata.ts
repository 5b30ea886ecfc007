/**
 * What an exported model file says about itself (ONNX `metadata_props`, schema in docs/onnx-deployment.md): the
 * phone labels of a classifier, the MFCC recipe and which part of the frame the model reads, the CMVN statistics
 * the model was trained with, and the app's own facts (task, zoo id, horizon) — everything a deployer needs to
 * turn audio into the model's input and its output into phones, without this repository.
 */
import type { OnnxMetadataOptions } from "@recurrent/onnx";
import { type Cmvn, PHONE_CLASSES } from "@recurrent/speech";
import { type CmvnMode, featureRecipe } from "../model-file.js";
import type { TaskName } from "../models.js";

/** The facts of a trained model that go into its ONNX file. */
export interface ExportFacts {
  readonly task: TaskName;
  /** Zoo id (`lstm`, `blstm-sum`, …). */
  readonly zooId: string;
  /** Statistics of the model's input (39-dim for classify, 13-dim for next-frame). */
  readonly cmvn: Cmvn;
  /** Next-frame models: frames ahead. */
  readonly horizon?: number;
  /** Classifiers: class names (default the 40 phone classes). */
  readonly labels?: readonly string[];
  /** Default "global". */
  readonly cmvnMode?: CmvnMode;
}

/** The metadata options of `exportOnnx` for a model of this app. */
export function onnxMetadata(facts: ExportFacts): OnnxMetadataOptions {
  const classify = facts.task === "classify";
  return {
    ...(classify ? { labels: [...(facts.labels ?? PHONE_CLASSES)] } : {}),
    // A next-frame model reads only the 13 statics of each frame (no Δ look-ahead), and predicts the next ones.
    features: featureRecipe(facts.task, facts.cmvnMode),
    cmvn: { mean: [...facts.cmvn.mean], std: [...facts.cmvn.std] },
    extra: {
      "speech-demo.task": facts.task,
      "speech-demo.model": facts.zooId,
      ...(classify ? {} : { "speech-demo.horizon": String(facts.horizon ?? 1) }),
    },
  };
}
