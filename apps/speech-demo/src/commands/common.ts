/** Helpers shared by the inference commands: open a model file on a backend. */
import type { Executable } from "@recurrent/core";
import { type BackendName, openBackend } from "../backends.js";
import { CliError, describeError } from "../cli/errors.js";
import { loadTrained, PRETRAINED_MODEL, type TrainedModel } from "../model-file.js";
import type { TaskName } from "../models.js";

/** A model file compiled on a backend. */
export interface OpenModel extends TrainedModel {
  readonly path: string;
  readonly exe: Executable;
}

/**
 * Loads a model file (default: the shipped one), checks its task, and compiles it on the backend.
 * @throws CliError `FILE` / `BAD_MODEL` / `BACKEND`.
 */
export async function openModel(path: string | undefined, backend: BackendName, task?: TaskName): Promise<OpenModel> {
  const file = path ?? PRETRAINED_MODEL;
  const trained = await loadTrained(file);
  if (task !== undefined && trained.task !== task) {
    throw new CliError("BAD_MODEL", `${file}: is a ${trained.task} model; this command needs a ${task} model`);
  }
  const b = await openBackend(backend, "infer");
  let exe: Executable;
  try {
    exe = await b.compile(trained.model, trained.weights);
  } catch (err) {
    throw new CliError("BACKEND", `backend "${backend}" cannot run ${file}: ${describeError(err)}`);
  }
  return { ...trained, path: file, exe };
}
