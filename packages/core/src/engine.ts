/**
 * @recurrent/core/engine — what a backend builds on. Core writes the orchestration once (the Executable shell,
 * the Trainer, `gradients()`, weight, fetch and feed checks, optimizer state naming); a backend supplies an engine:
 * storage, kernels, update-rule arithmetic, losses and one fused train step. See docs/writing-a-backend.md.
 */

export * from "./engine/executable.js";
export * from "./engine/fetch.js";
export * from "./engine/gradients.js";
export * from "./engine/optimizer.js";
export * from "./engine/trainer.js";
export * from "./engine/weights.js";
