/**
 * Checks made on an output path before a command does its work, so that a long export never fails at the last
 * step and never overwrites what it reads.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** The output path cannot be used; the message names it and why. */
export class OutputPathError extends Error {
  override readonly name = "OutputPathError";
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Resolves when `output` can be written as a file: it is none of `inputs` (by path, or the same file through a
 * link), not a directory, and its folder exists and is writable.
 * @throws OutputPathError naming the path and the reason.
 */
export async function checkOutputFile(output: string, inputs: readonly string[] = []): Promise<void> {
  const target = await statOrUndefined(output);
  for (const input of inputs) {
    const source = resolve(input) === resolve(output) ? target : await statOrUndefined(input);
    const same =
      resolve(input) === resolve(output) ||
      (source !== undefined && target !== undefined && source.dev === target.dev && source.ino === target.ino);
    if (same) {
      throw new OutputPathError(`refusing to overwrite the input "${input}" with the output; choose another path`);
    }
  }
  if (target?.isDirectory()) throw new OutputPathError(`"${output}" is a directory; expected a file path`);
  const folder = dirname(resolve(output));
  const parent = await statOrUndefined(folder);
  if (parent === undefined) throw new OutputPathError(`cannot write "${output}": folder "${folder}" does not exist`);
  if (!parent.isDirectory()) throw new OutputPathError(`cannot write "${output}": "${folder}" is not a folder`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new OutputPathError(`cannot write "${output}": folder "${folder}" is not writable`);
  }
}
