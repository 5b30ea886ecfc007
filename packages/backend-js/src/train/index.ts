/**
 * Training on the JS engine: update rules (SGD, momentum/Nesterov, RMSprop, Adam; PyTorch semantics), gradient
 * clipping and the train engine behind core's Trainer that `jsBackend().trainer()` returns. See docs/training.md.
 */

export { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
export { jsRules } from "./rules.js";
export { createTrainer } from "./trainer.js";
