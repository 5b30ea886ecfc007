/**
 * @recurrent/core/node — Node-only helpers (file I/O). Kept apart so that `@recurrent/core` runs unchanged in
 * browsers.
 */
export * from "./io/model-file-node.js";
export * from "./io/output-path-node.js";
export * from "./train/checkpoint-node.js";
