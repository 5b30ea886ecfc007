/**
 * Child process of the kill-and-resume test: trains `KILL_RUN` with a checkpoint after every step and prints
 * `checkpoint <step>` after each. It pauses 20 ms after every checkpoint and 3 s after step 6 (batch 1 of epoch 1),
 * so that the parent's SIGKILL lands mid-epoch even on a loaded machine.
 * Usage: node --import tsx train-child.ts <checkpoint path>
 */
import { fit } from "../fit.js";
import { KILL_RUN } from "./linear-trainer.js";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: train-child.ts <checkpoint path>");
await fit(KILL_RUN.trainer(), KILL_RUN.data(), {
  ...KILL_RUN.options,
  checkpoint: { path, every: 1 },
  onEvent: async (e) => {
    if (e.type !== "checkpoint") return;
    process.stdout.write(`checkpoint ${e.step}\n`);
    await new Promise((resolve) => setTimeout(resolve, e.step === 6 ? 3000 : 20));
  },
});
process.stdout.write("done\n");
