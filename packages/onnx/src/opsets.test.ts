// The op forms that change with the opset (ReduceMean/ReduceMax/ReduceProd axes become an input at 18; RNN ops
// gain versions 14 and 22) checked against PyTorch fixtures at every opset onnxruntime 1.30 reads.
import { checkForward, loadFixture } from "@recurrent/conformance";
import { describe, test } from "vitest";
import { onnxBackend } from "./backend.js";

const CASES = [
  "bilstm-ave",
  "bilstm-mul",
  "bigru-final-ave",
  "pool-max-length-zero",
  "pool-last-step-and-mean",
  "frame-stack-symmetric",
  "conv1d-causal-k3",
];
const OPSETS = [18, 19, 20, 21, 22, 23, 24, 25, 26];

describe.each(OPSETS)("opset %d", (opset) => {
  test.each(CASES)("%s matches PyTorch", async (name) => {
    await checkForward(onnxBackend({ opset }), loadFixture(name), { atol: 1e-5, rtol: 0 });
  });
});
