/**
 * Checks an output path before a command does its work, so that a long training run or export never fails at its
 * last step (a directory, a missing or read-only folder, an over-long name) and never overwrites the file it reads.
 * Node-only; exported from `@recurrent/core/node`.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";

/** Why an output path cannot be used. */
export type OutputPathErrorCode = "IS_INPUT" | "IS_DIRECTORY" | "NO_FOLDER" | "NOT_WRITABLE" | "NAME_TOO_LONG";

/** The output path cannot be written; the message names the path and the reason. */
export class OutputPathError extends Error {
  override readonly name = "OutputPathError";
  constructor(
    readonly code: OutputPathErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link checkOutputFile}. */
export interface CheckOutputOptions {
  /** Files the command reads; the output must be none of them (by path, or the same file through a link). */
  readonly inputs?: readonly string[];
  /** The command creates missing folders (`mkdir -p`): then the nearest existing ancestor must be writable. */
  readonly createFolders?: boolean;
}

/** Most file systems (ext4, APFS, NTFS) cap one path component at 255 bytes. */
const MAX_NAME_BYTES = 255;

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

/**
 * Resolves when `output` can be written as a file.
 * @throws OutputPathError `IS_INPUT` when it is one of `inputs`; `IS_DIRECTORY`; `NAME_TOO_LONG` when its name is
 *   over 255 bytes; `NO_FOLDER` when its folder does not exist (and `createFolders` is off) or is a file;
 *   `NOT_WRITABLE` when the folder (or, with `createFolders`, its nearest existing ancestor) is not writable.
 */
export async function checkOutputFile(output: string, options: CheckOutputOptions = {}): Promise<void> {
  const name = basename(output);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new OutputPathError(
      "NAME_TOO_LONG",
      `cannot write "${name.slice(0, 40)}…": the file name is ${Buffer.byteLength(name)} bytes, over ${MAX_NAME_BYTES}`,
    );
  }
  const target = await statOrUndefined(output);
  for (const input of options.inputs ?? []) {
    const source = resolve(input) === resolve(output) ? target : await statOrUndefined(input);
    const same =
      resolve(input) === resolve(output) ||
      (source !== undefined && target !== undefined && source.dev === target.dev && source.ino === target.ino);
    if (same) {
      throw new OutputPathError(
        "IS_INPUT",
        `"${output}" is the input file; refusing to overwrite it, choose another path`,
      );
    }
  }
  if (target?.isDirectory())
    throw new OutputPathError("IS_DIRECTORY", `"${output}" is a directory; expected a file path`);
  let folder = dirname(resolve(output));
  let info = await statOrUndefined(folder);
  while (info === undefined && options.createFolders === true && dirname(folder) !== folder) {
    folder = dirname(folder);
    info = await statOrUndefined(folder);
  }
  if (info === undefined)
    throw new OutputPathError("NO_FOLDER", `cannot write "${output}": folder "${folder}" does not exist`);
  if (!info.isDirectory())
    throw new OutputPathError("NO_FOLDER", `cannot write "${output}": "${folder}" is not a folder`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new OutputPathError("NOT_WRITABLE", `cannot write "${output}": folder "${folder}" is not writable`);
  }
}
