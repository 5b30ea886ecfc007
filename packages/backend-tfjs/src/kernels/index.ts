/** The kernel table over `Op`: a new op does not compile until it has a kernel here. */
import type { KernelTable } from "../engine/kernel.js";
import { activationKernel } from "./activation.js";
import { addKernel } from "./add.js";
import { concatKernel } from "./concat.js";
import { conv1dKernel } from "./conv1d.js";
import { denseKernel } from "./dense.js";
import { dropoutKernel } from "./dropout.js";
import { frameStackKernel } from "./frame-stack.js";
import { inputKernel } from "./input.js";
import { lastStepKernel } from "./last-step.js";
import { magnitudeKernel } from "./magnitude.js";
import { padKernel } from "./pad.js";
import { poolKernel } from "./pool.js";
import { repeatKernel } from "./repeat.js";
import { rnnKernel } from "./rnn.js";

export const kernels: KernelTable = {
  input: inputKernel,
  dense: denseKernel,
  activation: activationKernel,
  dropout: dropoutKernel,
  frameStack: frameStackKernel,
  conv1d: conv1dKernel,
  rnn: rnnKernel,
  lastStep: lastStepKernel,
  pool: poolKernel,
  repeat: repeatKernel,
  concat: concatKernel,
  add: addKernel,
  pad: padKernel,
  magnitude: magnitudeKernel,
};
