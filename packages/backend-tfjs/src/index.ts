/**
 * @recurrent/backend-tfjs — the IR on TensorFlow.js ops: inference, gradients through tfjs autodiff, training
 * (PyTorch-semantics optimizers) and streaming, on whatever tfjs backend is registered (cpu, wasm, webgl,
 * webgpu, tensorflow). No side effects on import.
 */
export { tfjsBackend } from "./backend.js";
export type { TfjsBackendOptions } from "./setup.js";
export type { Tf } from "./tf.js";
