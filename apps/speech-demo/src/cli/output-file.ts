/**
 * Checks an output file path before a command does its work: a long export must not fail at its last step, and
 * must never overwrite the file it reads.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CliError } from "./errors.js";

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError("FILE", `${path}: cannot read: ${(err as Error).message}`);
  }
}

/**
 * Resolves when `output` can be written as a file: it is not `input` (by path, or the same file through a link),
 * not a directory, and its folder exists and is writable.
 * @throws CliError `FILE` naming the path and the reason.
 */
export async function checkOutputFile(output: string, input?: string): Promise<void> {
  const target = await statOrUndefined(output);
  if (input !== undefined) {
    const source = await statOrUndefined(input);
    const same =
      resolve(input) === resolve(output) ||
      (source !== undefined && target !== undefined && source.dev === target.dev && source.ino === target.ino);
    if (same) throw new CliError("FILE", `${output}: is the input file; refusing to overwrite it, choose another path`);
  }
  if (target?.isDirectory()) throw new CliError("FILE", `${output}: is a directory, expected a file path`);
  const folder = dirname(resolve(output));
  const parent = await statOrUndefined(folder);
  if (parent === undefined || !parent.isDirectory()) {
    throw new CliError("FILE", `${output}: cannot write: folder ${folder} does not exist`);
  }
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new CliError("FILE", `${output}: cannot write: folder ${folder} is not writable`);
  }
}
