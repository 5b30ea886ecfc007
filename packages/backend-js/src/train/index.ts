/**
 * Training on the JS engine: optimizers (SGD, momentum/Nesterov, RMSprop, Adam; PyTorch semantics), gradient
 * clipping, truncated BPTT and the `Trainer` that `jsBackend().trainer()` returns. See docs/training.md.
 */

export { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
export { createOptimizer, type Optimizer } from "./optimizer.js";
export { createTrainer } from "./trainer.js";
