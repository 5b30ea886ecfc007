/**
 * `input`: the program hands the validated feed in as the only input; the kernel passes it through. Gradients
 * of an input value are read by the program directly, so backward has nothing to do.
 */
import type { Kernel } from "../engine/kernel.js";

export const inputKernel: Kernel<"input"> = () => ({
  forward([feed]) {
    return [feed!];
  },
  backward() {},
});
