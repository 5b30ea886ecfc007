/**
 * What a bundler resolves `@recurrent/core/node` to under the `browser` condition: that entry is Node-only (file
 * I/O: saveModel, loadModel, writeFileAtomic and the checkpoint store), and importing it in a page fails here, with
 * the way out, instead of deep inside a `node:` import. Universal code that loads it with a dynamic `import()` only
 * in Node still bundles cleanly.
 */
throw new Error(
  "@recurrent/core/node is Node-only (file I/O: saveModel, loadModel, writeFileAtomic and the checkpoint store). " +
    `In a browser: serializeModel / deserializeModel from "@recurrent/core" work on bytes in any runtime, and fit() takes checkpoint: { path, io } with your own CheckpointIO.`,
);
