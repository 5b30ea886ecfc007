/**
 * @recurrent/backend-js — the IR in pure TypeScript: forward kernels for every op, backpropagation through
 * time, losses, optimizers and a trainer. No dependency besides `@recurrent/core`; runs in Node and browsers.
 */
export { type JsBackendOptions, jsBackend } from "./backend.js";
export { type ProductKernel, productKernel } from "./product-kernel.js";
