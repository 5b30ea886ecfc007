/**
 * The output-path check of every command that writes a file, made before the work starts (a long training run or
 * export must not fail at its last step, and must never overwrite the file it reads). The check itself is core's
 * `checkOutputFile`; this turns its error into the app's `CliError`.
 */
import { type CheckOutputOptions, checkOutputFile, OutputPathError } from "@recurrent/core/node";
import { CliError } from "./errors.js";

/**
 * Resolves when `output` can be written (see core's `checkOutputFile`).
 * @throws CliError `FILE` naming the path and the reason.
 */
export async function checkOutput(output: string, options: CheckOutputOptions = {}): Promise<void> {
  try {
    await checkOutputFile(output, options);
  } catch (error) {
    if (error instanceof OutputPathError) throw new CliError("FILE", error.message);
    throw new CliError("FILE", `${output}: cannot check the output path: ${(error as Error).message}`);
  }
}
