/**
 * What a bundler resolves `@recurrent/onnx/node` to under the `browser` condition: that entry is Node-only
 * (onnxBackend on onnxruntime-node), and importing it in a page fails here, with the way out, instead of deep inside
 * a `node:` import. Universal code that loads it with a dynamic `import()` only in Node still bundles cleanly.
 */
throw new Error(
  "@recurrent/onnx/node is Node-only (onnxBackend on onnxruntime-node). " +
    `In a browser: exportOnnx from "@recurrent/onnx" works in browsers; run the file with onnxruntime-web.`,
);
