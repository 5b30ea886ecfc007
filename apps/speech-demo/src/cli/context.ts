/** What every command receives besides its own options. */
import type { Io } from "./io.js";

export interface Context {
  readonly io: Io;
  /** The command line after the program name (recorded in model files and reports). */
  readonly argv: readonly string[];
}
