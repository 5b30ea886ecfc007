/**
 * Training on the JS engine: optimizers (SGD, momentum/Nesterov, RMSprop, Adam; PyTorch semantics), gradient
 * clipping, truncated BPTT and the `Trainer` that `jsBackend().trainer()` returns. See docs/training.md.
 */
export { createTrainer } from "./trainer.js";
export { validateTrainConfig, type ResolvedConfig } from "./validate-config.js";
export { OPTIMIZER_DEFAULTS, createOptimizer, type Optimizer } from "./optimizer.js";
export { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
