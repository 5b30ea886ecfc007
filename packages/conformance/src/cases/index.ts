import type { Case } from "../case.js";
import { bidirectionalCases } from "./bidirectional.js";
import { conv1dCases } from "./conv1d.js";
import { denseCases } from "./dense.js";
import { emptySampleCases } from "./empty-samples.js";
import { frameStackCases } from "./frame-stack.js";
import { gruCases } from "./gru.js";
import { lossCases } from "./losses.js";
import { lstmCases } from "./lstm.js";
import { magnitudeCases } from "./magnitude.js";
import { padCases } from "./pad.js";
import { poolingCases } from "./pooling.js";
import { repeatCases } from "./repeat.js";
import { seq2seqCases } from "./seq2seq.js";
import { sileroCases } from "./silero.js";
import { simpleRnnCases } from "./simple-rnn.js";
import { stackedCases } from "./stacked.js";
import { statesCases } from "./states.js";

/** Every conformance case, one fixture each (`fixtures/<name>.json`). */
export const allCases: readonly Case[] = [
  ...denseCases,
  ...frameStackCases,
  ...conv1dCases,
  ...simpleRnnCases,
  ...lstmCases,
  ...gruCases,
  ...bidirectionalCases,
  ...stackedCases,
  ...statesCases,
  ...emptySampleCases,
  ...poolingCases,
  ...repeatCases,
  ...seq2seqCases,
  ...lossCases,
  ...padCases,
  ...magnitudeCases,
  ...sileroCases,
];
