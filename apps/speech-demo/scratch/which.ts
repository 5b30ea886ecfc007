import { loadCorpus, corpusAudio } from "@recurrent/speech";
const c = await loadCorpus(); const s = c.split({ seed: 1 });
const a = JSON.parse(await (await import("node:fs/promises")).readFile("../../packages/speech/data/audio/index.json","utf8"));
for (const src of a.source) console.log(src, s.test.includes(src) ? "test" : s.valid.includes(src) ? "valid" : "train", c.utterance(src).frames);
console.log(s.train.length, s.valid.length, s.test.length);
