/**
 * What a bundler resolves `@recurrent/speech/node` to under the `browser` condition: that entry is Node-only (file
 * I/O: readWavFile, readPhnFile, loadCorpus), and importing it in a page fails here, with the way out, instead of
 * deep inside a `node:` import. Universal code that loads it with a dynamic `import()` only in Node still bundles
 * cleanly.
 */
throw new Error(
  "@recurrent/speech/node is Node-only (file I/O: readWavFile, readPhnFile, loadCorpus). " +
    `In a browser: readWav(bytes) from "@recurrent/speech" decodes a WAV you fetched or read from a File.`,
);
